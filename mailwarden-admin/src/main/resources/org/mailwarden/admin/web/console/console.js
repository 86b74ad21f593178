// The mailwarden web console: plain JavaScript over the REST API, no build step.
// Every value from the server is put into the page with textContent, never as HTML.
'use strict';

(() => {
  const API = '/api/v1';
  let csrf = null;
  let currentTab = 'relay';

  const $ = (id) => document.getElementById(id);

  // ---- talking to the API

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(method, path, body) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (csrf && method !== 'GET') headers['X-CSRF-Token'] = csrf;
    const response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
    let data = null;
    try {
      data = await response.json();
    } catch (e) {
      data = null;
    }
    if (!response.ok) {
      if (response.status === 401 && path !== '/session') showLogin();
      throw new ApiError(response.status, (data && data.error) || ('HTTP ' + response.status));
    }
    return data;
  }

  const enc = encodeURIComponent;

  // ---- messages

  let messageTimer = null;

  function say(text, isError) {
    const box = $('message');
    box.textContent = text;
    box.classList.toggle('error', !!isError);
    box.hidden = false;
    clearTimeout(messageTimer);
    if (!isError) messageTimer = setTimeout(() => { box.hidden = true; }, 5000);
  }

  // Runs an action, reports its outcome, and refreshes what it changed.
  async function act(action, success, refresh) {
    try {
      await action();
      if (success) say(success, false);
    } catch (e) {
      say(e.message, true);
    }
    try {
      await (refresh || reloadTab)();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) say(e.message, true);
    }
  }

  // ---- small DOM helpers

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.substring(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) node.append(c);
    return node;
  }

  // A remove button that asks once more before acting, without a dialog.
  function removeButton(label, action) {
    const button = el('button', { type: 'button', class: 'danger small', text: label });
    let timer = null;
    button.addEventListener('click', () => {
      if (!button.classList.contains('armed')) {
        button.classList.add('armed');
        button.textContent = 'Really ' + label.toLowerCase() + '?';
        timer = setTimeout(() => {
          button.classList.remove('armed');
          button.textContent = label;
        }, 4000);
        return;
      }
      clearTimeout(timer);
      action();
    });
    return button;
  }

  function fillRows(tbody, rows, columns, emptyText) {
    tbody.replaceChildren();
    if (rows.length === 0) {
      tbody.append(el('tr', {}, el('td', { class: 'empty', colspan: String(columns), text: emptyText })));
      return;
    }
    for (const cells of rows) {
      tbody.append(el('tr', {}, ...cells.map((c) => (c instanceof Node && c.tagName === 'TD') ? c : el('td', {}, c))));
    }
  }

  function actions(...buttons) {
    return el('td', { class: 'actions' }, ...buttons);
  }

  function formValues(form) {
    const values = {};
    for (const [k, v] of new FormData(form).entries()) values[k] = v.trim();
    return values;
  }

  // ---- relay

  function policyLine(line) {
    let cls = '';
    if (line.startsWith('relay mode:')) cls = 'mode';
    else if (line.startsWith('#')) cls = 'note';
    else if (line.includes('action relay')) cls = 'relay';
    else if (line.includes('action reject')) cls = 'reject';
    else if (line.includes('action deliver')) cls = 'deliver';
    return el('span', { class: cls, text: line + '\n' });
  }

  async function loadRelay() {
    const relay = await api('GET', '/relay');
    $('policy').replaceChildren(...relay.policy.map(policyLine));
    $('mode').value = relay.mode;
    $('auth').checked = relay.authenticated_may_relay;
    for (const list of ['allow', 'listener', 'deny']) {
      const tbody = document.querySelector('#list-' + list + ' tbody');
      fillRows(tbody, relay[list].map((range) => [range,
        actions(removeButton('Remove', () => act(() => api('DELETE', '/relay/' + list + '/' + enc(range)),
          range + ' removed from the ' + list + ' list')))]), 2, 'none');
    }
  }

  // ---- domains

  let domainNames = [];

  async function loadDomains() {
    const data = await api('GET', '/domains');
    domainNames = data.domains.map((d) => d.name);
    fillRows($('domains'), data.domains.map((d) => {
      const shortInput = el('input', { value: d.short_name || '', placeholder: 'none', 'aria-label': 'Short name of ' + d.name, size: '12' });
      const save = el('button', { type: 'button', class: 'quiet small', text: 'Save' });
      save.addEventListener('click', () => act(() => api('PATCH', '/domains/' + enc(d.name),
        { short_name: shortInput.value.trim() === '' ? null : shortInput.value.trim() }),
        'short name of ' + d.name + ' saved'));
      return [d.name, el('td', {}, el('div', { class: 'row' }, shortInput, save)),
        actions(removeButton('Remove', () => act(() => api('DELETE', '/domains/' + enc(d.name)), 'domain ' + d.name + ' removed')))];
    }), 3, 'No domains yet: add the first one below.');
  }

  // ---- users

  async function loadUsers() {
    if (domainNames.length === 0) {
      const data = await api('GET', '/domains');
      domainNames = data.domains.map((d) => d.name);
    }
    const select = $('user-domain');
    const chosen = select.value;
    select.replaceChildren(el('option', { value: '', text: 'all domains' }),
      ...domainNames.map((n) => el('option', { value: n, text: n })));
    select.value = domainNames.includes(chosen) ? chosen : '';
    const query = select.value ? '?domain=' + enc(select.value) : '';
    const data = await api('GET', '/users' + query);
    fillRows($('users'), data.users.map((u) => {
      const status = el('span', { class: 'pill ' + (u.enabled ? 'on' : 'off'), text: u.enabled ? 'enabled' : 'disabled' });
      const toggle = el('button', { type: 'button', class: 'quiet small', text: u.enabled ? 'Disable' : 'Enable' });
      toggle.addEventListener('click', () => act(() => api('PATCH', '/users/' + enc(u.address), { enabled: !u.enabled }),
        u.address + (u.enabled ? ' disabled' : ' enabled')));
      const password = el('input', { type: 'password', placeholder: 'new password', 'aria-label': 'New password for ' + u.address, autocomplete: 'new-password', size: '14' });
      const setPassword = el('button', { type: 'button', class: 'quiet small', text: 'Set password' });
      setPassword.addEventListener('click', () => {
        if (password.value === '') {
          password.focus();
          return;
        }
        act(() => api('PUT', '/users/' + enc(u.address) + '/password', { password: password.value }),
          'password of ' + u.address + ' changed');
      });
      return [u.address, status, actions(password, ' ', setPassword, ' ', toggle, ' ',
        removeButton('Remove', () => act(() => api('DELETE', '/users/' + enc(u.address)), 'user ' + u.address + ' removed')))];
    }), 3, 'No users here yet.');
  }

  // ---- aliases

  async function loadAliases() {
    const data = await api('GET', '/aliases');
    fillRows($('aliases'), data.aliases.map((a) => [a.address, a.account,
      actions(removeButton('Remove', () => act(() => api('DELETE', '/aliases/' + enc(a.address) + '?account=' + enc(a.account)),
        'alias ' + a.address + ' → ' + a.account + ' removed')))]), 3, 'No aliases.');
  }

  // ---- routes

  async function loadRoutes() {
    const data = await api('GET', '/routes');
    $('smarthost').textContent = data.smarthost || 'none (MX lookup)';
    fillRows($('routes'), data.routes.map((r) => [r.domain, r.target,
      actions(removeButton('Remove', () => act(() => api('DELETE', '/routes/' + enc(r.domain)), 'route for ' + r.domain + ' removed')))]),
    3, 'No routes: mail goes to the smarthost or the MX.');
  }

  // ---- settings

  async function loadSettings() {
    const data = await api('GET', '/settings');
    fillRows($('settings'), Object.entries(data.settings).map(([k, v]) => [k, v,
      actions(removeButton('Unset', () => act(() => api('DELETE', '/settings/' + enc(k)), k + ' back to its default')))]),
    3, 'All settings have their defaults.');
  }

  // ---- tabs and forms

  const loaders = { relay: loadRelay, domains: loadDomains, users: loadUsers, aliases: loadAliases, routes: loadRoutes, settings: loadSettings };

  function reloadTab() {
    return loaders[currentTab]();
  }

  async function showTab(name) {
    currentTab = name;
    for (const b of document.querySelectorAll('#tabs button')) b.classList.toggle('active', b.dataset.tab === name);
    for (const s of document.querySelectorAll('section.tab')) s.hidden = s.id !== 'tab-' + name;
    try {
      await reloadTab();
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) say(e.message, true);
    }
  }

  // Binds a form: its values go to `send`; on success it is cleared.
  function onSubmit(form, send, success) {
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const values = formValues(form);
      act(async () => {
        await send(values);
        form.reset();
      }, success(values));
    });
  }

  function bindForms() {
    onSubmit($('domain-form'), (v) => api('POST', '/domains', { name: v.name, short_name: v.short_name || null }),
      (v) => 'domain ' + v.name + ' added');
    onSubmit($('user-form'), (v) => api('POST', '/users', { address: v.address, password: v.password }),
      (v) => 'user ' + v.address + ' added');
    onSubmit($('alias-form'), (v) => api('POST', '/aliases', { address: v.address, account: v.account }),
      (v) => 'alias ' + v.address + ' → ' + v.account + ' added');
    onSubmit($('route-form'), (v) => api('POST', '/routes', { domain: v.domain, target: v.target }),
      (v) => 'mail for ' + v.domain + ' now goes to ' + v.target);
    onSubmit($('smarthost-form'), (v) => api('PUT', '/smarthost', { target: v.target }), (v) => 'smarthost set to ' + v.target);
    onSubmit($('setting-form'), (v) => api('PUT', '/settings/' + enc(v.key), { value: v.value }), (v) => v.key + ' saved');
    for (const form of document.querySelectorAll('form.add-range')) {
      onSubmit(form, (v) => api('POST', '/relay/' + form.dataset.list, { range: v.range }),
        (v) => v.range + ' added to the ' + form.dataset.list + ' list');
    }
    $('smarthost-clear').addEventListener('click', () => act(() => api('DELETE', '/smarthost'), 'smarthost cleared'));
    $('mode-form').addEventListener('submit', (event) => {
      event.preventDefault();
      act(() => api('PUT', '/relay/mode', { mode: $('mode').value }), 'relay mode saved');
    });
    $('auth-form').addEventListener('submit', (event) => {
      event.preventDefault();
      act(() => api('PUT', '/relay/auth', { enabled: $('auth').checked }), 'rule 1 saved');
    });
    $('user-domain').addEventListener('change', () => act(async () => {}, null));
    for (const b of document.querySelectorAll('#tabs button')) b.addEventListener('click', () => showTab(b.dataset.tab));
  }

  // ---- login

  function showLogin() {
    csrf = null;
    $('tabs').hidden = true;
    $('logout').hidden = true;
    for (const s of document.querySelectorAll('section.tab')) s.hidden = true;
    $('login').hidden = false;
    $('token').focus();
  }

  function showConsole(token) {
    csrf = token;
    $('login').hidden = true;
    $('tabs').hidden = false;
    $('logout').hidden = false;
    showTab(currentTab);
  }

  function bindLogin() {
    $('login-form').addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const session = await api('POST', '/session', { token: $('token').value.trim() });
        $('token').value = '';
        $('message').hidden = true;
        showConsole(session.csrf_token);
      } catch (e) {
        say(e.message, true);
      }
    });
    $('logout').addEventListener('click', async () => {
      try {
        await api('DELETE', '/session');
      } catch (e) {
        // Logged out either way.
      }
      showLogin();
    });
  }

  async function start() {
    bindForms();
    bindLogin();
    try {
      const session = await api('GET', '/session');
      showConsole(session.csrf_token);
    } catch (e) {
      showLogin();
    }
  }

  start();
})();
