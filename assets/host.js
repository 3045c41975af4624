// The listener the host page documents, running on its own example frame.
const frame = document.getElementById('aesop');
addEventListener('message', (e) => {
  if (e.source !== frame.contentWindow) return;
  if (e.data?.type === 'aesop:resize') frame.style.height = `${e.data.height}px`;
  if (e.data?.type === 'aesop:scroll-top') frame.scrollIntoView({ block: 'start' });
});
