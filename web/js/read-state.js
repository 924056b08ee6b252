// How far this user has read in each room, kept per user in localStorage so unread counts survive
// a reload. Sequence numbers have no gaps, so "last seq − last seen seq" is exactly the unread count
// (of entries: an edit or deletion is news too, docs/messaging.md).

export function createReadState(userId) {
  const storageKey = `parley.read.${userId}`;
  let seen = {};
  try {
    seen = JSON.parse(localStorage.getItem(storageKey)) ?? {};
  } catch {
    // A damaged entry only costs the unread counts.
  }

  return {
    unread(room) {
      return Math.max(0, room.lastSeq - (seen[room.id] ?? 0));
    },

    markSeen(roomId, seq) {
      if (seq <= (seen[roomId] ?? 0)) return;
      seen[roomId] = seq;
      localStorage.setItem(storageKey, JSON.stringify(seen));
    },
  };
}
