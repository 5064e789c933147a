/**
 * The browser went away: a read a client abandoned (a cancelled fetch, a new search typed over the
 * old one, a closed tab) stops in the store instead of running to its time limit and holding one of
 * the few heavy-read slots. The signal fires only when the connection closes before the answer was
 * written, never after a normal reply.
 */
import type { FastifyReply } from 'fastify';

export function clientGone(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  const res = reply.raw;
  let answered = false;
  res.once('finish', () => (answered = true));
  res.once('close', () => {
    if (!answered && !res.writableFinished) ac.abort(new Error('the client closed the connection before the answer'));
  });
  return ac.signal;
}
