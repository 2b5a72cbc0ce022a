// The console's live updates. /desk/live names what changed (the queue, or a chat by its conversation); each part
// of the page marked data-live fetches itself again from its data-src, through the agent's own session.
(() => {
  'use strict';
  const parts = () => document.querySelectorAll('[data-live]');
  const concerns = (el, event) =>
    el.dataset.live.split(' ').includes(event.type === 'chat' ? 'chat-' + event.conversation : event.type);

  async function refresh(el) {
    const response = await fetch(el.dataset.src, { credentials: 'same-origin' });
    if (response.redirected) {
      location.reload(); // the session ended: the page goes to the login
      return;
    }
    if (!response.ok) return;
    el.innerHTML = await response.text();
    if (el.id === 'transcript') afterTranscript(el);
  }

  function afterTranscript(list) {
    list.scrollTop = list.scrollHeight;
    if (list.querySelector('#ended')) {
      // The customer ended the chat: nothing more can be sent in it.
      document.querySelectorAll('#reply, .actions').forEach(form => form.remove());
    }
  }

  function connect() {
    const socket = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/desk/live');
    const light = document.getElementById('live');
    const lit = on => {
      light.classList.toggle('on', on);
      light.textContent = on ? light.dataset.on : light.dataset.off;
      document.body.dataset.live = on ? 'on' : 'off';
    };
    socket.onmessage = message => {
      const event = JSON.parse(message.data);
      if (event.type === 'alert') {
        const link = document.getElementById('alert-link');
        link.href = '/desk/tickets/' + event.ticket;
        link.textContent = link.textContent.replace(/( #\d+)?$/, ' #' + event.ticket);
        document.getElementById('alert').hidden = false;
      }
      if (event.type === 'report') {
        document.getElementById('report-notice-link').href = '/desk/reports/' + event.report;
        document.getElementById('report-notice').hidden = false;
      }
      if (event.type === 'ready') {
        lit(true);
        parts().forEach(refresh); // whatever happened while the socket was down
      } else {
        parts().forEach(el => { if (concerns(el, event)) refresh(el); });
      }
    };
    socket.onclose = () => {
      lit(false);
      setTimeout(connect, 3000);
    };
  }

  // A reply goes without leaving the page; the transcript shows it when the event comes back. A reply with a
  // 服务忌语 comes back 422: the warning names the phrase, and a second send confirms it. The warning, and the
  // confirmation, last as long as the phrase is in the reply, however the reply changes (typing, a canned reply).
  const reply = document.getElementById('reply');
  if (reply) {
    const text = document.getElementById('reply-text');
    const suggestion = document.getElementById('suggestion');
    const confirmed = document.getElementById('confirmed');
    const warning = document.getElementById('taboo-warning');
    // As the server compares: white space and punctuation between the words do not hide a phrase.
    const compact = value => value.replace(/[ \t\n\v\f\r\p{P}!-\/:-@\[-`{-~]/gu, '');
    let warned = null; // the phrase the warning names, while it shows
    const warn = phrase => {
      warned = phrase;
      warning.textContent = warning.dataset.text.replace('{taboo}', phrase);
      warning.hidden = false;
      confirmed.value = 'yes';
    };
    const recheck = () => {
      if (warned !== null && !compact(text.value).includes(compact(warned))) {
        warned = null;
        warning.hidden = true;
        confirmed.value = '';
      }
    };
    const put = (value, entry) => {
      text.value = value;
      suggestion.value = entry || '';
      recheck();
      text.focus();
    };
    reply.addEventListener('submit', async e => {
      e.preventDefault();
      const response = await fetch(reply.action, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Accept': 'application/json' },
        body: new URLSearchParams(new FormData(reply)),
      });
      if (response.status === 422) {
        const { taboo } = await response.json();
        warn(taboo);
      } else if (response.ok) {
        put('', '');
        reply.classList.remove('failed');
        refresh(document.getElementById('transcript'));
      } else {
        reply.classList.add('failed');
      }
    });
    text.addEventListener('input', () => {
      recheck();
      if (text.value === '') suggestion.value = ''; // a reply started afresh did not come from the suggestion
    });
    text.addEventListener('keydown', e => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) reply.requestSubmit();
      if (e.key === 'Tab' && text.value.startsWith('/')) {
        const item = [...document.querySelectorAll('.use-canned')].find(b => b.textContent === text.value.trim());
        if (item) {
          e.preventDefault();
          put(item.dataset.text, '');
        }
      }
    });
    document.getElementById('canned').addEventListener('click', e => {
      const button = e.target.closest('.use-canned');
      if (button) put(button.dataset.text, '');
    });
    document.getElementById('canned-search').addEventListener('input', e => {
      const q = e.target.value.trim();
      document.querySelectorAll('#canned li').forEach(li => { li.hidden = q !== '' && !li.textContent.includes(q); });
    });
    document.getElementById('assist').addEventListener('click', e => {
      const button = e.target.closest('.use-suggestion');
      if (button) put(button.dataset.answer, button.dataset.entry);
    });
  }
  // Presence changes in place; the page stays where it is.
  const presence = document.getElementById('presence');
  if (presence) {
    presence.addEventListener('change', async () => {
      const form = document.getElementById('presence-form');
      const response = await fetch(form.action, {
        method: 'POST', credentials: 'same-origin', redirect: 'manual',
        body: new URLSearchParams(new FormData(form)),
      });
      const set = response.type === 'opaqueredirect' || response.ok;
      form.className = 'presence ' + (set ? presence.value : 'failed');
      if (set) document.getElementById('presence-hint').textContent = presence.selectedOptions[0].dataset.hint;
    });
  }

  // Waiting times and sessions stay current while the agent only watches.
  setInterval(() => parts().forEach(refresh), 60_000);

  const transcript = document.getElementById('transcript');
  if (transcript) {
    afterTranscript(transcript);
    // The transcript's box shrinks and grows with the page (a warning above the reply box); unless the agent has
    // scrolled back to read, it keeps the latest message in view.
    let atEnd = true;
    transcript.addEventListener('scroll', () => {
      atEnd = transcript.scrollTop + transcript.clientHeight >= transcript.scrollHeight - 8;
    });
    new ResizeObserver(() => { if (atEnd) transcript.scrollTop = transcript.scrollHeight; }).observe(transcript);
  }
  connect();
})();

// The supervisors' upload of a customer list: the file's bytes go as the body (the server takes no multipart
// uploads), and the import's report is shown under the form.
(() => {
  'use strict';
  const form = document.getElementById('record-import');
  if (!form) return;
  const report = document.getElementById('import-report');
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (all, name) => String(values[name]));
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const file = document.getElementById('import-file').files[0];
    if (!file) return;
    const query = new URLSearchParams({ line: document.getElementById('import-line').value });
    if (document.getElementById('import-all').checked) query.set('mode', 'all');
    if (document.getElementById('import-dry').checked) query.set('dry', '1');
    const summary = document.getElementById('import-summary');
    const list = document.getElementById('import-refused');
    list.replaceChildren();
    report.hidden = false;
    let result;
    try {
      const response = await fetch(form.action + '?' + query, {
        method: 'POST', credentials: 'same-origin', body: await file.arrayBuffer(),
        headers: { 'Content-Type': 'application/octet-stream', 'X-CSRF-Token': form.dataset.csrf }
      });
      if (!response.ok) throw new Error(String(response.status));
      result = await response.json();
    } catch (e) {
      summary.textContent = report.dataset.failed;
      return;
    }
    if (result.unusable) {
      summary.textContent = report.dataset.nothing + ' ' + result.unusable;
      return;
    }
    summary.textContent = fill(report.dataset.summary, { ...result, refused: result.refused.length })
      + (result.written ? '' : ' ' + report.dataset.nothing);
    for (const refused of result.refused) {
      const item = document.createElement('li');
      item.textContent = fill(report.dataset.line, refused) + refused.reason;
      list.append(item);
    }
  });
  // The report page prints as shown (the console's bar and buttons left out): the browser saves it as PDF.
  const print = document.getElementById('print');
  if (print) print.addEventListener('click', () => window.print());
})();

// The campaign builder: the segment's live count as its criteria change, a sample message copied into the message; a
// campaign's progress fetched again every few seconds while it is open.
(() => {
  'use strict';
  const form = document.getElementById('campaign-form');
  if (form) {
    const output = document.getElementById('segment-count');
    const problem = document.getElementById('segment-count-problem');
    let timer;
    let asked = 0;
    const count = async () => {
      const query = new URLSearchParams();
      for (const [name, value] of new FormData(form)) {
        if (name !== '_csrf' && name !== 'name' && name !== 'message') query.set(name, value);
      }
      const mine = ++asked;
      const response = await fetch(form.dataset.count + '?' + query, { credentials: 'same-origin' });
      if (!response.ok || mine !== asked) return;
      const answer = await response.json();
      if ('problem' in answer) {
        const said = document.querySelector('#segment-problems [data-field="' + answer.problem + '"]');
        problem.textContent = said ? said.textContent : '';
        problem.hidden = false;
        output.textContent = '—';
      } else {
        problem.hidden = true;
        output.textContent = answer.count;
      }
    };
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(count, 250);
    };
    document.getElementById('segment').addEventListener('input', later);
    document.getElementById('segment').addEventListener('change', later);
    count();
    const sample = document.getElementById('campaign-sample');
    sample.addEventListener('change', () => {
      if (sample.value) document.getElementById('campaign-message').value = sample.value;
    });
  }
  const progress = document.getElementById('campaign-progress');
  if (progress) {
    setInterval(async () => {
      const state = document.getElementById('progress-state');
      if (state && (state.dataset.status === 'draft' || state.dataset.settled)) return;
      const response = await fetch(progress.dataset.src, { credentials: 'same-origin' });
      if (!response.ok) return;
      progress.innerHTML = await response.text();
      const after = document.getElementById('progress-state');
      // Once finished, WeChat's reports may still come: a few more looks, then it rests.
      if (after && ['done', 'cancelled'].includes(after.dataset.status)) {
        const looks = Number(progress.dataset.looks || 0) + 1;
        progress.dataset.looks = looks;
        if (looks > 30) after.dataset.settled = '1';
      }
    }, 2000);
  }
})();
