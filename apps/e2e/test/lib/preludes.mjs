// Classic scripts the page runs before the SDK loads (scenarios 7 and 8 change the platform).

/** Counts peer connections: constructed, `close()` calls, and those not `closed` yet. */
const COUNTED = `(() => {
  const Native = window.RTCPeerConnection;
  let refs = [];
  let constructed = 0;
  let closeCalls = 0;
  let collected = 0;
  class CountedRTCPeerConnection extends Native {
    constructor(...args) {
      super(...args);
      constructed += 1;
      refs.push(new WeakRef(this));
    }
    close() {
      closeCalls += 1;
      return super.close();
    }
  }
  window.RTCPeerConnection = CountedRTCPeerConnection;
  window.__pcCount = () => {
    let open = 0;
    refs = refs.filter((ref) => {
      const pc = ref.deref();
      if (!pc) { collected += 1; return false; }
      if (pc.connectionState !== 'closed') open += 1;
      return true;
    });
    return { constructed, closeCalls, open, collected };
  };
})();`;

/**
 * A pre-promise engine: webkitRTCPeerConnection whose negotiation methods and getStats only take
 * callbacks (and return nothing), like Chrome before M52. The unprefixed constructor is gone.
 */
const LEGACY = `(() => {
  const Native = window.webkitRTCPeerConnection;
  delete window.RTCPeerConnection;
  const calls = { createOffer: 0, createAnswer: 0, setLocalDescription: 0, setRemoteDescription: 0, addIceCandidate: 0, getStats: 0 };
  window.__legacyCalls = calls;
  const settle = (promise, success, failure) => {
    promise.then((value) => success && success(value), (error) => failure && failure(error));
  };
  const legacyResponse = (report) => {
    const items = [];
    report.forEach((s) => items.push({
      id: s.id,
      type: s.type,
      timestamp: new Date(s.timestamp),
      names: () => Object.keys(s).filter((k) => k !== 'id' && k !== 'type' && k !== 'timestamp'),
      stat: (name) => String(s[name]),
    }));
    return { result: () => items };
  };
  class LegacyRTCPeerConnection extends Native {
    createOffer(success, failure, options) { calls.createOffer += 1; settle(super.createOffer(options), success, failure); }
    createAnswer(success, failure, options) { calls.createAnswer += 1; settle(super.createAnswer(options), success, failure); }
    setLocalDescription(description, success, failure) { calls.setLocalDescription += 1; settle(super.setLocalDescription(description), success, failure); }
    setRemoteDescription(description, success, failure) { calls.setRemoteDescription += 1; settle(super.setRemoteDescription(description), success, failure); }
    addIceCandidate(candidate, success, failure) { calls.addIceCandidate += 1; settle(super.addIceCandidate(candidate), success, failure); }
    getStats(success, selector) { calls.getStats += 1; settle(super.getStats(selector || null), (report) => success(legacyResponse(report))); }
  }
  window.webkitRTCPeerConnection = LegacyRTCPeerConnection;
})();`;

export const PRELUDES = {
  plain: '',
  counted: COUNTED,
  webkit: 'delete window.RTCPeerConnection;',
  legacy: LEGACY,
  unsupported:
    'delete window.RTCPeerConnection; delete window.webkitRTCPeerConnection; delete window.mozRTCPeerConnection;',
};
