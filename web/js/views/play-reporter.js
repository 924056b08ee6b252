// The two instructions of a play (docs/views.md, "Reports"): a sealed report every sealedEveryMs and a plain one every
// plainEveryMs, on a fixed schedule from the start of the play, for as long as the play lasts (downloading, playing,
// paused). Each says what the <video> element does now: Playing, Seeked since the previous report of its kind, and
// Ended on the last; the position is its currentTime, the bytes those downloaded so far.

import { Flags } from './play-protocol.js';

const HAVE_FUTURE_DATA = 3;

/**
 * @param {object} options
 * @param {ReturnType<typeof import('./play-session.js').createSession>} options.session
 * @param {HTMLVideoElement} options.video
 * @param {() => number} options.bytesDownloaded
 * @param {(error: unknown) => void} options.onRefused a report was refused: the play is over (the server closed it)
 */
export function reportOnSchedule({ session, video, bytesDownloaded, onRefused }) {
  const { sealedEveryMs, plainEveryMs, toleranceMs } = session.started;
  const startedAt = performance.now();
  let stopped = false;

  function kind(periodMs, send) {
    const state = { count: 0, lastAt: startedAt, seeked: false, timer: null };
    const schedule = () => {
      state.timer = setTimeout(tick, Math.max(0, startedAt + (state.count + 1) * periodMs - performance.now()));
    };
    async function report(extraFlags = 0) {
      const flags = (playing() ? Flags.Playing : 0) | (state.seeked ? Flags.Seeked : 0) | extraFlags;
      state.seeked = false;
      state.count++;
      state.lastAt = performance.now();
      await send({ flags, bytesDownloaded: bytesDownloaded(), positionMs: Math.round(video.currentTime * 1000) });
    }
    async function tick() {
      if (stopped) return;
      schedule();
      try {
        await report();
      } catch (error) {
        if (stopped) return;
        stop();
        onRefused(error);
      }
    }
    schedule();
    return {
      seeked: () => { state.seeked = true; },
      stop: () => clearTimeout(state.timer),
      // A last report with Ended, only when one of this kind is due or nearly: sent sooner, the server would call it early.
      finalReport: () => (performance.now() - state.lastAt >= periodMs - toleranceMs / 2 ? report(Flags.Ended) : Promise.resolve()),
    };
  }

  const playing = () => !video.paused && !video.ended && video.readyState >= HAVE_FUTURE_DATA;
  const kinds = [kind(sealedEveryMs, session.sendSealed), kind(plainEveryMs, session.sendPlain)];
  const seeked = () => kinds.forEach((each) => each.seeked());
  video.addEventListener('seeking', seeked);

  function stop() {
    stopped = true;
    video.removeEventListener('seeking', seeked);
    kinds.forEach((each) => each.stop());
  }

  return {
    /** Stops reporting and ends the play (after a last Ended report of each kind that is due); resolves with its record. */
    async finish() {
      if (!stopped) {
        stop();
        // A refused last report closes the play as illegal; the record says why, so the refusal itself is not shown.
        await Promise.all(kinds.map((each) => each.finalReport().catch(() => {})));
      }
      return session.end();
    },
    stop,
  };
}
