package org.mailwarden.bench.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What a result table says about the machine it was measured on. */
public final class MachineInfo {

    private MachineInfo() {
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** The one-minute load average. */
    public static double loadAverage() {
        String load = read("/proc/loadavg");
        try {
            return Double.parseDouble(load.split(" ")[0]);
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    public static String cpuModel() {
        for (String line : read("/proc/cpuinfo").split("\n")) {
            if (line.startsWith("model name")) {
                return line.substring(line.indexOf(':') + 1).trim();
            }
        }
        return "unknown CPU";
    }

    public static long memoryMiB() {
        return meminfoMiB("MemTotal:");
    }

    /** MemAvailable: what can still be used without swapping. */
    public static long availableMemoryMiB() {
        return meminfoMiB("MemAvailable:");
    }

    private static long meminfoMiB(String key) {
        for (String line : read("/proc/meminfo").split("\n")) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    public static String kernel() {
        return read("/proc/sys/kernel/osrelease").trim();
    }

    public static String java() {
        return System.getProperty("java.vm.name") + " " + Runtime.version();
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            return "";
        }
    }
}
