// Site data blocked: every Storage method throws, as when a browser refuses localStorage.
for (const name of ["getItem", "setItem", "removeItem", "clear", "key"]) {
  Storage.prototype[name] = function () {
    throw new DOMException("The operation is insecure.", "SecurityError");
  };
}
