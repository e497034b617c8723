// Server-sent events read through fetch: EventSource cannot send the Authorization header, so the stream is read
// here and parsed as the SSE format says (fields per line, events separated by a blank line).

import { headers, refusal } from './api.js';

function dispatch(block, onEvent) {
  let name = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue; // a comment: the server's keepalive
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') name = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length) onEvent(name, data.join('\n'));
}

/**
 * Follows the stream at `path`, calling onEvent(name, data) for each event; resolves when the server ends it (as the
 * progress stream does after a terminal state), rejects with the API's refusal or a network error. Abort with `signal`.
 */
export async function follow(path, onEvent, signal) {
  const response = await fetch(path, {
    headers: { ...headers(), Accept: 'text/event-stream' }, signal, cache: 'no-store',
  });
  if (!response.ok) throw await refusal(response);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer = (buffer + value).replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      dispatch(buffer.slice(0, end), onEvent);
      buffer = buffer.slice(end + 2);
    }
  }
  if (buffer.trim()) dispatch(buffer, onEvent);
}
