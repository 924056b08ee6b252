// One IndexedDB object store used as a small key-value store: each database here holds a single
// store, so a feature that needs one opens its own database and never has to bump another's version.

/**
 * @param {string} database the IndexedDB database's name
 * @param {string} store its one object store
 * @param {string} keyPath the property of each record that is its key
 */
export function keyValueStore(database, store, keyPath) {
  function open() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(database, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(store, { keyPath });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function withStore(mode, operation) {
    const connection = await open();
    try {
      return await new Promise((resolve, reject) => {
        const transaction = connection.transaction(store, mode);
        const request = operation(transaction.objectStore(store));
        transaction.oncomplete = () => resolve(request.result);
        transaction.onerror = () => reject(transaction.error);
        transaction.onabort = () => reject(transaction.error);
      });
    } finally {
      connection.close();
    }
  }

  return {
    get: (key) => withStore('readonly', (records) => records.get(key)),
    put: (record) => withStore('readwrite', (records) => records.put(record)),
    delete: (key) => withStore('readwrite', (records) => records.delete(key)),
  };
}
