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
    const dot = document.getElementById('live');
    socket.onmessage = message => {
      const event = JSON.parse(message.data);
      if (event.type === 'alert') {
        const link = document.getElementById('alert-link');
        link.href = '/desk/tickets/' + event.ticket;
        link.textContent = link.textContent.replace(/( #\d+)?$/, ' #' + event.ticket);
        document.getElementById('alert').hidden = false;
      }
      if (event.type === 'ready') {
        dot.classList.add('on');
        document.body.dataset.live = 'on';
        parts().forEach(refresh); // whatever happened while the socket was down
      } else {
        parts().forEach(el => { if (concerns(el, event)) refresh(el); });
      }
    };
    socket.onclose = () => {
      dot.classList.remove('on');
      document.body.dataset.live = 'off';
      setTimeout(connect, 3000);
    };
  }

  // A reply goes without leaving the page; the transcript shows it when the event comes back.
  const reply = document.getElementById('reply');
  if (reply) {
    const text = document.getElementById('reply-text');
    reply.addEventListener('submit', async e => {
      e.preventDefault();
      const response = await fetch(reply.action, {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Accept': 'application/json' },
        body: new URLSearchParams(new FormData(reply)),
      });
      if (response.ok) {
        text.value = '';
        refresh(document.getElementById('transcript'));
      } else {
        reply.classList.add('failed');
      }
    });
    text.addEventListener('keydown', e => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) reply.requestSubmit();
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
      presence.className = response.type === 'opaqueredirect' || response.ok ? presence.value : 'failed';
    });
  }

  // Waiting times and sessions stay current while the agent only watches.
  setInterval(() => parts().forEach(refresh), 60_000);

  const transcript = document.getElementById('transcript');
  if (transcript) afterTranscript(transcript);
  connect();
})();
