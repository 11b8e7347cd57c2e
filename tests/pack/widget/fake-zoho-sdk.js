// Stands in for https://live.zwidgets.com/js-sdk/1.5/ZohoEmbededAppSDK.min.js in the
// widget test: defines window.ZOHO (embeddedApp, CRM.API, CRM.META, CRM.CONNECTION) and,
// after init(), window.zrc when the test offers it. Every CRM call goes to the test
// process (window.__zohoSdk, a Playwright binding), where tests/sim/fake-zoho.mjs answers
// from the Zoho CRM simulator with the shapes of the real SDK.
(function () {
  'use strict';
  /** Rebuilds what the test process encoded: Error objects travel as { __error: { name, message } }. */
  function decode(value) {
    if (Array.isArray(value)) return value.map(decode);
    if (value && typeof value === 'object') {
      if (value.__error) return Object.assign(new Error(value.__error.message), { name: value.__error.name });
      const out = {};
      for (const key of Object.keys(value)) out[key] = decode(value[key]);
      return out;
    }
    return value;
  }
  /** A call of the SDK: resolves or rejects as the fake SDK in the test process did. */
  function call(path) {
    return function () {
      const args = Array.prototype.slice.call(arguments);
      return window.__zohoSdk(path, args).then(function (r) {
        if (r.ok) return decode(r.value);
        throw decode(r.error);
      });
    };
  }
  function methods(prefix, names) {
    const out = {};
    names.forEach(function (name) {
      out[name] = call(prefix + name);
    });
    return out;
  }
  const handlers = {};
  window.ZOHO = {
    embeddedApp: {
      on: function (event, fn) {
        (handlers[event] = handlers[event] || []).push(fn);
      },
      init: function () {
        return window.__zohoSdk('init', []).then(function (r) {
          if (r.value.zrc) window.zrc = methods('zrc.', ['get', 'post', 'put', 'patch', 'delete', 'request']);
          (handlers.PageLoad || []).forEach(function (fn) {
            fn(r.value.pageLoad);
          });
        });
      },
    },
    CRM: {
      API: methods('ZOHO.CRM.API.', ['insertRecord', 'updateRecord', 'upsertRecord', 'deleteRecord', 'getRecord', 'getAllRecords', 'searchRecord', 'coql']),
      META: methods('ZOHO.CRM.META.', ['getFields']),
      CONNECTION: methods('ZOHO.CRM.CONNECTION.', ['invoke']),
    },
  };
})();
