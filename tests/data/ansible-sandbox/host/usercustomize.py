# Loaded by Python at start-up on sandbox hosts (root's user site-packages) for
# ansible-playbook runs only; see tests/data/ansible-sandbox/README.md. Keeps
# start-up cost near zero: urllib is patched only if a module imports it.
import builtins
import os
import sys

# The hosts share the machine's PID namespace: /proc/1/comm names the machine's
# init, not systemd (Ansible's service_mgr fact reads it).
_REDIRECTS = {"/proc/modules": "/run/sandbox/kmod/modules",
              "/proc/1/comm": os.path.join(os.path.dirname(os.path.abspath(__file__)), "proc-1-comm")}
_open = builtins.open


def _sandbox_open(file, *args, **kwargs):
    if isinstance(file, str):
        if file in _REDIRECTS:
            file = _REDIRECTS[file]
        elif file.startswith("/lib/modules/") and file.endswith("/modules.builtin") and not os.path.exists(file):
            file = os.devnull
    return _open(file, *args, **kwargs)


builtins.open = _sandbox_open


def _patch_urllib(request):
    import email
    import io
    import subprocess
    import urllib.error
    import urllib.response

    original = request.OpenerDirector.open

    def open_via_curl(self, fullurl, data=None, timeout=None, **kwargs):
        url = fullurl if isinstance(fullurl, str) else fullurl.get_full_url()
        if not url.startswith(("http://", "https://")):
            return original(self, fullurl, data, timeout, **kwargs) if timeout is not None else original(self, fullurl, data, **kwargs)
        import tempfile
        with tempfile.NamedTemporaryFile(prefix=".sandbox-curl-") as tmp:
            proc = subprocess.run(["curl", "-sSL", "-w", "%{http_code}", "-o", tmp.name, url],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            body = tmp.read()
        out = proc.stdout.decode().strip()
        code = int(out) if out.isdigit() else 0
        if proc.returncode != 0 or code == 0:
            raise urllib.error.URLError(proc.stderr.decode().strip() or "curl exit %d" % proc.returncode)
        headers = email.message_from_string("Content-Length: %d\n" % len(body))
        if code >= 400:
            raise urllib.error.HTTPError(url, code, "HTTP error %d" % code, headers, io.BytesIO(body))
        return urllib.response.addinfourl(io.BytesIO(body), headers, url, code)

    request.OpenerDirector.open = open_via_curl


class _PatchUrllibOnImport:
    def find_spec(self, name, path, target=None):
        if name != "urllib.request":
            return None
        sys.meta_path.remove(self)
        import importlib.util
        spec = importlib.util.find_spec(name)
        exec_module = spec.loader.exec_module

        def exec_and_patch(module):
            exec_module(module)
            _patch_urllib(module)

        spec.loader.exec_module = exec_and_patch
        return spec


sys.meta_path.insert(0, _PatchUrllibOnImport())
