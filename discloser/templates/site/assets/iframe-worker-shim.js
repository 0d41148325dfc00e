/* discloser: lets the site's search run from file://, with nothing fetched from elsewhere.
 *
 * Browsers refuse to start a Web Worker from a page opened as a file, and Material for MkDocs
 * runs its search in one. Only on file:// pages, this stand-in runs the worker script in a
 * hidden frame of the page's own origin: the frame's postMessage hands results back to the page,
 * and its importScripts loads scripts in order and returns a promise (the search worker awaits
 * it). Material's offline plugin adds its own copy of such a shim from a public CDN unless
 * extra.polyfills already names one: this file's name is what stops that request.
 */
(function () {
  "use strict";
  if (window.location.protocol !== "file:" || typeof EventTarget !== "function") {
    return;
  }
  var page = window;

  function resolve(url) {
    return new URL(url, page.document.baseURI).href;
  }

  function FrameWorker(url) {
    var target = new EventTarget();
    var frame = page.document.createElement("iframe");
    var self = this;
    frame.hidden = true;
    frame.title = "search";
    frame.tabIndex = -1;
    frame.setAttribute("aria-hidden", "true");
    page.document.body.appendChild(frame);
    var scope = frame.contentWindow;
    var doc = scope.document;

    this.onmessage = null;
    this.onerror = null;
    this.addEventListener = target.addEventListener.bind(target);
    this.removeEventListener = target.removeEventListener.bind(target);
    this.dispatchEvent = target.dispatchEvent.bind(target);

    scope.postMessage = function (data) {
      var copy = page.structuredClone(data);
      page.setTimeout(function () {
        var event = new page.MessageEvent("message", { data: copy });
        target.dispatchEvent(event);
        if (typeof self.onmessage === "function") {
          self.onmessage(event);
        }
      }, 0);
    };
    scope.importScripts = function () {
      var urls = Array.prototype.slice.call(arguments);
      return urls.reduce(function (done, src) {
        return done.then(function () {
          return new Promise(function (loaded, failed) {
            var script = doc.createElement("script");
            script.src = resolve(src);
            script.onload = function () { loaded(); };
            script.onerror = function () { failed(new Error("cannot load " + src)); };
            doc.body.appendChild(script);
          });
        });
      }, Promise.resolve());
    };
    this.frame = frame;
    this.ready = scope.importScripts(url);
    this.ready.catch(function (error) {
      var event = new page.ErrorEvent("error", { message: String(error) });
      target.dispatchEvent(event);
      if (typeof self.onerror === "function") {
        self.onerror(event);
      }
    });
  }

  FrameWorker.prototype.postMessage = function (data) {
    var frame = this.frame;
    this.ready.then(function () {
      var scope = frame.contentWindow;
      if (scope) {
        scope.dispatchEvent(new scope.MessageEvent("message", { data: scope.structuredClone(data) }));
      }
    });
  };

  FrameWorker.prototype.terminate = function () {
    this.frame.remove();
  };

  // Material's search worker looks for this name to find its scripts from inside the frame.
  page.IFrameWorker = FrameWorker;
  page.Worker = FrameWorker;
})();
