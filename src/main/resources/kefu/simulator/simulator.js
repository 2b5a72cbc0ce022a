// The WeChat simulator page: asks kefu for each message signed as WeChat would send it, posts it to /wechat,
// and shows the passive reply and what kefu sent through the (stand-in) customer-service API.
(() => {
  'use strict';
  const T = JSON.parse(document.getElementById('texts').textContent);
  const api = '/simulator/api';
  const chat = document.getElementById('chat');
  // turn: the messages being sent, settled when the last one's passive reply shows.
  const state = { openid: null, after: 0, listening: null, turn: Promise.resolve() };

  const customers = () => JSON.parse(localStorage.getItem('kefu.simulator.customers') || '[]');
  const saveCustomers = list => localStorage.setItem('kefu.simulator.customers', JSON.stringify(list));

  function renderCustomers() {
    const list = document.getElementById('customer-list');
    list.replaceChildren(...customers().map(openid => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = openid;
      b.setAttribute('aria-current', String(openid === state.openid));
      b.addEventListener('click', () => pick(openid));
      li.append(b);
      return li;
    }));
  }

  function pick(openid) {
    state.openid = openid;
    state.after = 0;
    chat.replaceChildren();
    document.getElementById('chat-title').textContent = T.chatWith + ' ' + openid;
    renderCustomers();
    listen();
  }

  function add(kind, text, via) {
    const li = document.createElement('li');
    li.className = kind;
    const bubble = document.createElement('div');
    bubble.className = kind === 'note' ? '' : 'bubble';
    bubble.textContent = text;
    li.append(bubble);
    if (via) {
      const v = document.createElement('span');
      v.className = 'via';
      v.textContent = via;
      li.append(v);
    }
    chat.append(li);
    chat.scrollTop = chat.scrollHeight;
    return li;
  }

  function addMenuMessage(message, via) {
    const li = add('out', message.head_content || '', via);
    const bubble = li.querySelector('.bubble');
    const choices = document.createElement('div');
    choices.className = 'choices';
    for (const item of message.list || []) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = item.content;
      b.addEventListener('click', () => send({ type: 'text', content: item.content, choice: item.id }, item.content));
      choices.append(b);
    }
    bubble.append(choices, document.createTextNode(message.tail_content || ''));
  }

  // An article (图文) as WeChat shows it in the chat: a card of the cover, the title and the digest. A mass article
  // (mpnews) is hosted by WeChat, so the card opens to its content here; a news card opens the business's page.
  function addArticle(article, via) {
    const li = add('out article', '', via);
    const card = li.querySelector('.bubble');
    const cover = document.createElement('img');
    cover.src = article.cover || article.picurl || '';
    cover.alt = '';
    const title = document.createElement('h3');
    title.textContent = article.title;
    const digest = document.createElement('p');
    digest.className = 'digest';
    digest.textContent = article.digest || article.description || '';
    card.append(cover, title, digest);
    if (article.content) {
      // The content is WeChat's article HTML: shown as its paragraphs' text, nothing of it run.
      const body = document.createElement('div');
      body.className = 'content';
      body.hidden = true;
      const html = new DOMParser().parseFromString(article.content, 'text/html').body;
      for (const node of html.children.length ? html.children : [html]) {
        const para = document.createElement('p');
        para.textContent = node.textContent;
        body.append(para);
      }
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'read';
      open.textContent = T.readArticle;
      open.addEventListener('click', () => { body.hidden = !body.hidden; });
      card.append(open, body);
    } else if (article.url) {
      const link = document.createElement('a');
      link.className = 'read';
      link.href = article.url;
      link.target = '_blank';
      link.rel = 'noopener';
      link.textContent = T.readArticle;
      card.append(link);
    }
  }

  function send(message, shown) {
    if (!state.openid) {
      add('note', T.pickFirst);
      return;
    }
    const turn = deliver(message, shown);
    state.turn = Promise.allSettled([state.turn, turn]).then(() => {});
  }

  async function deliver(message, shown) {
    // An event (a consent too: the popup answered) is a note in the chat, not the customer's message.
    const event = message.type === 'event' || message.type === 'consent';
    if (shown) add(event ? 'note' : 'in', shown, event ? null : T.you);
    const envelope = await (await fetch(api + '/envelope', {
      method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(Object.assign({ openid: state.openid }, message)),
    })).json();
    const response = await fetch(envelope.url, { method: 'POST', headers: { 'Content-Type': 'text/xml' }, body: envelope.body });
    const body = await response.text();
    if (!response.ok) {
      add('note', T.refused + ' ' + response.status + ' ' + body);
      return;
    }
    if (body && body !== 'success') {
      const reply = await (await fetch(api + '/read', {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ body }),
      })).json();
      add('out', reply.Content || '', T.passive);
    }
  }

  // What kefu sends the chosen customer through the API, by long polling: each request waits at the stand-in until
  // something is sent or 25 s pass, so an idle page asks two or three times a minute.
  async function listen() {
    if (state.listening) state.listening.abort();
    const listening = state.listening = new AbortController();
    const openid = state.openid;
    while (!listening.signal.aborted) {
      try {
        const response = await fetch(api + '/sent?wait=25&openid=' + encodeURIComponent(openid) + '&after=' + state.after,
          { signal: listening.signal });
        if (!response.ok) throw new Error('HTTP ' + response.status);
        const sent = await response.json();
        // A message's passive reply shows before what the API carried after it.
        await state.turn;
        if (!listening.signal.aborted) show(sent);
      } catch (e) {
        // kefu restarting, or too many polls waiting: try again a little later.
        if (!listening.signal.aborted) await new Promise(resume => setTimeout(resume, 2000));
      }
    }
  }

  function show(sent) {
    for (const item of sent) {
      state.after = Math.max(state.after, item.seq);
      const m = item.message;
      // Customer-service, template or mass message (群发, a preview): as the account sent it.
      const via = T[item.channel] || T.service;
      if (m.msgtype === 'msgmenu') addMenuMessage(m.msgmenu, via);
      else if (m.msgtype === 'mpnews') (m.articles || []).forEach(a => addArticle(Object.assign({}, a, { url: a.content_source_url }), via + ' · ' + T.article));
      else if (m.msgtype === 'news') (m.news.articles || []).forEach(a => addArticle(a, via + ' · ' + T.article));
      else if (m.msgtype === 'text') add('out', m.text.content, via);
      // Template messages and subscription notices look like WeChat's cards: fields, not a chat bubble.
      else if (m.data) add('out notice ' + item.channel, templateFields(m.data), via + ' · ' + m.template_id);
      else add('out', JSON.stringify(m), via);
    }
  }

  // A template message as WeChat lists it, a field per line; the stand-in knows the field names, not their labels.
  function templateFields(data) {
    return Object.entries(data).map(([name, field]) => name + ': ' + field.value).join('\n');
  }

  async function renderMenu() {
    const menu = await (await fetch(api + '/menu')).json();
    const nav = document.getElementById('menu');
    const button = b => {
      const el = document.createElement('button');
      el.type = 'button';
      el.textContent = b.name;
      if (b.type === 'click') el.addEventListener('click', () => send({ type: 'event', event: 'CLICK', key: b.key }, T.clickEvent + b.name));
      if (b.type === 'view') el.addEventListener('click', () => window.open(b.url, '_blank'));
      return el;
    };
    nav.replaceChildren(...(menu.button || []).map(b => {
      const cell = document.createElement('div');
      cell.append(button(b));
      if (b.sub_button) {
        const sub = document.createElement('div');
        sub.className = 'sub';
        sub.append(...b.sub_button.map(button));
        cell.append(sub);
      }
      return cell;
    }));
  }

  document.getElementById('new-customer').addEventListener('submit', e => {
    e.preventDefault();
    const input = document.getElementById('new-openid');
    const openid = input.value.trim() || 'o-sim-' + Math.random().toString(36).slice(2, 10);
    input.value = '';
    if (!customers().includes(openid)) saveCustomers(customers().concat(openid));
    pick(openid);
  });
  document.getElementById('composer').addEventListener('submit', e => {
    e.preventDefault();
    const input = document.getElementById('text');
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    send({ type: 'text', content: text }, text);
  });
  document.getElementById('voice').addEventListener('click', () => {
    const recognition = window.prompt(T.voicePrompt, '');
    if (recognition !== null) send({ type: 'voice', recognition }, T.voiceLabel + ' ' + recognition);
  });
  document.getElementById('image').addEventListener('click', () => send({ type: 'image' }, T.imageLabel));
  document.getElementById('subscribe').addEventListener('click', () => send({ type: 'event', event: 'subscribe' }, T.subscribeEvent));
  document.getElementById('unsubscribe').addEventListener('click', () => send({ type: 'event', event: 'unsubscribe' }, T.unsubscribeEvent));

  // A record's QR code scanned by a follower: WeChat's SCAN event with the code's scene (the console links here with it).
  const scene = document.getElementById('scene');
  scene.value = new URLSearchParams(location.search).get('scene') || '';
  document.getElementById('scan').addEventListener('submit', event => {
    event.preventDefault();
    send({ type: 'event', event: 'SCAN', key: scene.value.trim() }, T.scanEvent + scene.value.trim());
  });

  // The popup of the consent page (wx-open-subscribe), answered: WeChat's subscribe_msg_popup_event.
  document.getElementById('consent-accept').addEventListener('click', () => send({ type: 'consent', accepted: true }, T.consentAccepted));
  document.getElementById('consent-reject').addEventListener('click', () => send({ type: 'consent', accepted: false }, T.consentRejected));
  fetch(api + '/consent').then(r => r.json()).then(c => { document.getElementById('consent').hidden = !c.template; });

  renderCustomers();
  renderMenu();
})();
