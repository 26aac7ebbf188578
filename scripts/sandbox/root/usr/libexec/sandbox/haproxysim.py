"""haproxy: sandbox stand-in for the haproxy of Rocky Linux's AppStream (1.8.27 on Rocky 8,
2.4.22 on Rocky 9), called by /usr/sbin/haproxy from the haproxy package's payload.

  haproxy -v | -vv | -V             the version banner of the release
  haproxy -c [-q] -f FILE|DIR ...   checks the configuration: "Configuration file is valid", or
                                    haproxy's alerts (parsing [FILE:LINE] : ...), "Error(s) found
                                    in configuration file : FILE", "Fatal errors found in
                                    configuration.", exit 1; warnings (missing timeouts, ...)
  haproxy -Ws -f FILE ... [-p PID]  runs it, as haproxy.service does: a real TCP proxy.

The configuration subset it knows (everything kubeadm's HA guide uses): sections global,
defaults, frontend, backend, listen (other sections and keywords are parsed as haproxy
accepts them but have no effect, unknown ones fail as in haproxy); bind ADDR:PORT (*, ::,
IPv4), mode tcp|http (http is forwarded as TCP: no L7 rules, use_backend conditions are not
evaluated, default_backend is used), balance roundrobin (every algorithm haproxy knows is
accepted, roundrobin is what runs), option httpchk [METHOD] [URI] [VERSION], http-check expect
[!] status|rstatus|string|rstring X, timeout connect|client|server|check, retries, server NAME
ADDR[:PORT] with check, check-ssl, ssl, verify none|required, ca-file, inter, fall, rise,
weight, backup, disabled, port, default-server. Health checks run as haproxy's do: a server
starts UP with health = rise (it goes DOWN at the first failed check), then needs fall failed
checks in a row to go DOWN and rise good ones to come back; httpchk sends METHOD URI over TLS
with check-ssl (verify none: any certificate) and expects the status. Connections go to UP
servers only, round robin; none UP: the client is closed. Without -W/-Ws, -D or 'daemon'
(global) puts it in the background (the command returns 0 once it listens, 1 if it cannot
bind), writing -p or the global pidfile; -sf/-st PIDS soft-stop/terminate old processes once
bound (listeners use SO_REUSEPORT, as haproxy's, unless 'noreuseport'). SIGUSR2 (systemctl reload) reads
the configuration again: a valid one replaces proxies and servers, listeners on the same
address keep their socket (no connection refused during a reload); a broken one is logged
and the old one stays. SIGTERM/SIGINT stop it, SIGUSR1 too (soft stop).

Messages go to stderr as haproxy prints them there (the service's log is
/var/log/sandbox-haproxy.log, standing in for the journal). Not emulated: the stats socket
(no socket is created), syslog (the log lines), chroot and dropping privileges (checked:
the chroot directory and the user/group must exist), multi-process/threads, L7 features.
"""
import difflib
import os
import re
import select
import signal
import socket
import ssl
import sys
import threading
import time

VERSION = "1.8.27"
PROG = "/usr/sbin/haproxy"
BUILD = {"1.8": ("493ce0b", "2020/11/06"), "2.4": ("f8e3218", "2023/02/14")}

GLOBAL_KW = set("""log log-tag log-send-hostname chroot pidfile maxconn maxconnrate maxsslconn user group uid gid
daemon quiet debug nbproc nbthread cpu-map stats ssl-default-bind-ciphers ssl-default-server-ciphers
ssl-default-bind-ciphersuites ssl-default-server-ciphersuites ssl-default-bind-options ssl-default-server-options
ssl-server-verify ssl-dh-param-file ca-base crt-base node description spread-checks ulimit-n
hard-stop-after unix-bind master-worker external-check presetenv setenv resetenv unsetenv lua-load
tune.ssl.default-dh-param tune.bufsize tune.maxrewrite tune.ssl.cachesize tune.ssl.lifetime
tune.maxaccept tune.http.maxhdr noepoll nokqueue nopoll nosplice noreuseport server-state-file
server-state-base localpeer h1-case-adjust insecure-fork-wanted""".split())
PROXY_KW = set("""acl backlog balance bind capture compression cookie default-server default_backend
description disabled enabled errorfile errorloc errorloc302 errorloc303 external-check force-persist
fullconn grace hash-type hash-balance-factor http-check http-request http-response http-reuse
http-send-name-header id ignore-persist load-server-state-from-file log log-format log-tag max-keep-alive-queue
maxconn mode monitor monitor-net monitor-uri option persist rate-limit redirect retries retry-on server
server-state-file-name server-template source stats stick stick-table tcp-check tcp-request tcp-response
timeout unique-id-format unique-id-header use_backend use-server filter declare dynamic-cookie-key
email-alert reqadd reqdel reqrep reqallow reqdeny reqpass reqtarpit rspadd rspdel rsprep rspdeny
http-after-response log-format-sd error-log-format""".split())
DEFAULTS_ONLY_NOT = {"bind", "server", "use_backend", "use-server", "acl", "http-request", "stick", "id",
                     "server-template", "capture", "monitor", "redirect", "filter", "declare"}
FE_ONLY = {"bind", "capture", "monitor-uri", "monitor-net", "use_backend", "default_backend", "backlog"}
BE_ONLY = {"server", "balance", "default-server", "server-template", "http-check", "tcp-check", "hash-type",
           "cookie", "use-server", "fullconn", "http-reuse", "retries"}
OTHER_SECTIONS = {"userlist", "peers", "resolvers", "mailers", "cache", "program", "http-errors", "ring"}
OPTIONS = set("""abortonclose accept-invalid-http-request accept-invalid-http-response allbackups checkcache
clitcpka contstats dontlog-normal dontlognull forceclose forwardfor http-buffer-request http-ignore-probes
http-keep-alive http-no-delay http-pretend-keepalive http-server-close http-tunnel http-use-proxy-header
httpchk httpclose httplog http_proxy independent-streams ldap-check external-check log-health-checks
log-separate-errors logasap mysql-check nolinger originalto persist pgsql-check prefer-last-server
redis-check redispatch smtpchk socket-stats splice-auto splice-request splice-response spop-check srvtcpka
ssl-hello-chk tcp-check tcp-smart-accept tcp-smart-connect tcpka tcplog transparent
idle-close-on-response disable-h2-upgrade""".split())
TIMEOUTS = ["client", "server", "connect", "check", "queue", "http-keep-alive", "http-request", "tunnel",
            "tarpit", "client-fin", "server-fin"]
BALANCE = ["roundrobin", "static-rr", "leastconn", "source", "uri", "url_param", "first", "random"]
SERVER_KW_ARG = {"inter", "fastinter", "downinter", "fall", "rise", "weight", "port", "addr", "verify", "ca-file",
                 "crt", "sni", "maxconn", "minconn", "maxqueue", "slowstart", "observe", "on-error", "on-marked-down",
                 "on-marked-up", "error-limit", "cookie", "id", "init-addr", "resolvers", "resolve-prefer",
                 "source", "ciphers", "ciphersuites", "check-sni", "alpn", "check-alpn", "namespace", "proto",
                 "pool-max-conn", "pool-purge-delay", "tcp-ut", "track", "agent-port", "agent-inter", "agent-send",
                 "verifyhost", "crl-file", "redir", "max-reuse", "ssl-min-ver", "ssl-max-ver", "proxy-v2-options"}
SERVER_KW_FLAG = {"check", "no-check", "check-ssl", "no-check-ssl", "ssl", "no-ssl", "backup", "no-backup",
                  "disabled", "enabled", "send-proxy", "send-proxy-v2", "no-send-proxy", "check-send-proxy",
                  "non-stick", "no-sslv3", "no-tlsv10", "no-tlsv11", "no-tlsv12", "force-tlsv12", "agent-check",
                  "allow-0rtt", "no-tls-tickets", "tfo", "no-verifyhost"}


def v24():
    return tuple(int(x) for x in VERSION.split(".")[:2]) >= (2, 0)


def branch():
    return "2.4" if v24() else "1.8"


# ------------------------------------------------------------------ messages

QUIET = False
OUT = sys.stderr
NOTICED = False


def prefix(label):
    if v24():
        return "%-10s (%d) : " % ("[" + label + "]", os.getpid())
    t = time.localtime()
    return "[%s] %03d/%02d%02d%02d (%d) : " % (label, t.tm_yday - 1, t.tm_hour, t.tm_min, t.tm_sec, os.getpid())


def emit(label, msg):
    for_line = prefix(label) + msg
    try:
        OUT.write(for_line + "\n")
        OUT.flush()
    except (OSError, ValueError):
        pass


def notice(msg):
    if not QUIET:
        emit("NOTICE", msg)


def alert(msg):
    global NOTICED
    if v24() and not NOTICED:
        NOTICED = True
        notice("haproxy version is %s-%s" % (VERSION, BUILD["2.4"][0]))
        notice("path to executable is %s" % PROG)
    emit("ALERT", msg)


def warning(msg):
    if not QUIET:
        emit("WARNING", msg)


def version_text(full=False):
    h, d = BUILD[branch()]
    if v24():
        u = os.uname()
        return ("HAProxy version %s-%s %s - https://haproxy.org/\n"
                "Status: long-term supported branch - will stop receiving fixes around Q2 2026.\n"
                "Known bugs: http://www.haproxy.org/bugs/bugs-%s.html\n"
                "Running on: %s %s %s %s\n" % (VERSION, h, d, VERSION, u.sysname, u.release, u.version, u.machine))
    return "HA-Proxy version %s-%s %s\nCopyright 2000-2020 Willy Tarreau <willy@haproxy.org>\n\n" % (VERSION, h, d)


def usage():
    sys.stderr.write(version_text() if not v24() else "HAProxy version %s-%s %s - https://haproxy.org/\n" % (
        VERSION, BUILD["2.4"][0], BUILD["2.4"][1]))
    sys.stderr.write(
        "Usage : haproxy [-f <cfgfile|cfgdir>]* [ -vdVD ] [ -n <maxconn> ] [ -N <maxpconn> ]\n"
        "        [ -p <pidfile> ] [ -m <max megs> ] [ -C <dir> ] [-- <cfgfile>*]\n"
        "        -v displays version ; -vv shows known build options.\n"
        "        -d enters debug mode ; -db only disables background mode.\n"
        "        -dM[<byte>] poisons memory with <byte> (defaults to 0x50)\n"
        "        -V enters verbose mode (disables quiet mode)\n"
        "        -D goes daemon ; -C changes to <dir> before loading files.\n"
        "        -W master-worker mode.\n"
        "        -Ws master-worker mode with systemd notify support.\n"
        "        -q quiet mode : don't display messages\n"
        "        -c check mode : only check config files and exit\n"
        "        -sf/-st [pid ]* finishes/terminates old pids.\n"
        "        -x <unix_socket> get listening sockets from a unix socket\n\n")
    sys.exit(1)


# ------------------------------------------------------------------ configuration

def tokenize(line):
    """haproxy's line splitting: blanks separate words, '#' starts a comment, quotes and
    backslashes escape."""
    words, cur, have, i, q = [], "", False, 0, None
    while i < len(line):
        c = line[i]
        if q:
            if c == q:
                q = None
            elif c == "\\" and q == '"' and i + 1 < len(line):
                i += 1
                cur += line[i]
            else:
                cur += c
            i += 1
            continue
        if c in "\"'":
            q, have = c, True
        elif c == "\\" and i + 1 < len(line):
            i += 1
            cur += line[i]
            have = True
        elif c == "#":
            break
        elif c in " \t\r\n":
            if have:
                words.append(cur)
            cur, have = "", False
        else:
            cur += c
            have = True
        i += 1
    if have:
        words.append(cur)
    return words


def parse_time(s):
    """a haproxy time (default unit ms) -> ms, or None."""
    m = re.fullmatch(r"(\d+)(us|ms|s|m|h|d)?", s)
    if not m:
        return None
    mult = {"us": 0.001, "ms": 1, None: 1, "s": 1000, "m": 60000, "h": 3600000, "d": 86400000}[m.group(2)]
    return int(int(m.group(1)) * mult)


def parse_addr(s):
    """ADDR:PORT -> (host, port) with port None when missing; raises ValueError(msg)."""
    if s.startswith("["):
        host, _, rest = s[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
    elif s.count(":") > 1 and not re.search(r":\d*$", s.split("]")[-1]):
        host, port = s, ""
    elif ":" in s:
        host, port = s.rsplit(":", 1)
    else:
        host, port = s, ""
    if host in ("", "*"):
        host = "0.0.0.0"
    if port == "":
        return host, None
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("invalid port '%s'" % port)
    return host, int(port)


class Server:
    def __init__(self, name, host, port):
        self.name, self.host, self.port = name, host, port
        self.check = False
        self.check_ssl = False
        self.ssl = False
        self.verify = None
        self.ca_file = None
        self.inter, self.fall, self.rise = 2000, 3, 2
        self.weight = 1
        self.backup = False
        self.disabled = False
        self.check_port = None
        self.up = True
        self.health = 0
        self.line = ("", 0)


class Proxy:
    def __init__(self, kind, name, where, defaults):
        self.kind, self.name, self.where = kind, name, where
        d = defaults or {}
        self.mode = d.get("mode", "tcp")
        self.balance = d.get("balance", "roundrobin")
        self.timeouts = dict(d.get("timeouts", {}))
        self.retries = d.get("retries", 3)
        self.httpchk = d.get("httpchk")
        self.expect = d.get("expect")
        self.default_server = dict(d.get("default_server", {}))
        self.chk_ssl = d.get("chk_ssl", False)
        self.chk_port = d.get("chk_port")
        self.chk_send = d.get("chk_send")
        self.binds = []          # (host, port, file, line)
        self.servers = []
        self.default_backend = d.get("default_backend") if kind != "backend" else None
        self.use_backends = []   # (name, file, line)
        self.rr = 0

    @property
    def fe(self):
        return self.kind in ("frontend", "listen")

    @property
    def be(self):
        return self.kind in ("backend", "listen")


class Config:
    def __init__(self):
        self.proxies = []
        self.globals = {}
        self.errors_in = []     # files with errors
        self.fatal = False
        self.warn = False


def parse_files(paths):
    """Reads the configuration files (-f FILE or DIR); returns a Config, printing haproxy's
    alerts and warnings. cfg.fatal says whether it failed."""
    cfg = Config()
    files = []
    for p in paths:
        if os.path.isdir(p):
            try:
                names = sorted(n for n in os.listdir(p) if n.endswith(".cfg") and not n.startswith("."))
            except OSError:
                names = []
            files += [os.path.join(p, n) for n in names if os.path.isfile(os.path.join(p, n))]
        else:
            files.append(p)
    state = {"sect": None, "proxy": None, "defaults": {}}
    for f in files:
        try:
            with open(f, encoding="utf-8", errors="replace") as fh:
                lines = fh.read().split("\n")
        except OSError as e:
            alert("Could not open configuration file %s : %s" % (f, e.strerror))
            sys.exit(1)
        had = cfg.fatal
        cfg.fatal = False
        for n, line in enumerate(lines, 1):
            words = tokenize(line)
            if words:
                parse_line(cfg, state, f, n, words)
        if cfg.fatal:
            alert("Error(s) found in configuration file : %s" % f)
        cfg.fatal = cfg.fatal or had
    return cfg


def parse_line(cfg, st, f, n, w):
    def bad(msg):
        alert("parsing [%s:%d] : %s" % (f, n, msg))
        cfg.fatal = True

    kw = w[0]
    if kw in ("global", "defaults", "frontend", "backend", "listen") or kw in OTHER_SECTIONS:
        st["sect"] = kw
        st["proxy"] = None
        if kw in ("frontend", "backend", "listen"):
            if len(w) < 2:
                bad("'%s' expects <name> as an argument." % kw)
                st["sect"] = "ignore"
                return
            name = w[1]
            if not re.fullmatch(r"[A-Za-z0-9_.:-]+", name):
                bad("character '%s' is not permitted in '%s' name '%s'." % (
                    next(c for c in name if not re.match(r"[A-Za-z0-9_.:-]", c)), kw, name))
            for p in cfg.proxies:
                if p.name == name and (p.fe and kw != "backend" or p.be and kw != "frontend"):
                    alert("Parsing [%s:%d]: %s '%s' has the same name as %s '%s' declared at %s:%d." % (
                        f, n, kw, name, p.kind, p.name, p.where[0], p.where[1]))
                    cfg.fatal = True
            p = Proxy(kw, name, (f, n), st["defaults"])
            cfg.proxies.append(p)
            st["proxy"] = p
        elif kw == "defaults":
            st["defaults"] = {}
        return
    sect = st["sect"]
    if sect is None:
        alert("parsing [%s:%d]: unknown keyword '%s' out of section." % (f, n, kw))
        cfg.fatal = True
        return
    if sect in OTHER_SECTIONS or sect == "ignore":
        return
    if sect == "global":
        if kw not in GLOBAL_KW and not kw.startswith("tune."):
            msg = "unknown keyword '%s' in '%s' section" % (kw, "global")
            bad(msg + suggest(kw, GLOBAL_KW))
            return
        if kw in ("user", "group"):
            if len(w) < 2:
                bad("'%s' expects %s name." % (kw, kw))
                return
            db = "/etc/passwd" if kw == "user" else "/etc/group"
            if not any(l.split(":")[0] == w[1] for l in read_lines(db)):
                bad("cannot find %s id for '%s' (0:Success)" % ("user" if kw == "user" else "group", w[1]))
                return
        if kw in ("maxconn", "nbproc", "nbthread", "ulimit-n") and (len(w) < 2 or not w[1].isdigit()):
            bad("'%s' expects an integer argument." % kw)
            return
        cfg.globals.setdefault(kw, []).append(w[1:])
        return
    # defaults / frontend / backend / listen
    p = st["proxy"]
    d = st["defaults"] if sect == "defaults" else None
    if kw not in PROXY_KW:
        bad("unknown keyword '%s' in '%s' section" % (kw, sect) + suggest(kw, PROXY_KW))
        return
    if sect == "defaults" and kw in DEFAULTS_ONLY_NOT:
        bad("'%s' not allowed in 'defaults' section." % kw)
        return
    if p is not None:
        if kw in FE_ONLY and not p.fe:
            warning("parsing [%s:%d] : '%s' ignored because %s '%s' has no frontend capability." % (f, n, kw, p.kind, p.name))
            cfg.warn = True
            return
        if kw in BE_ONLY and not p.be:
            warning("parsing [%s:%d] : '%s' ignored because %s '%s' has no backend capability." % (f, n, kw, p.kind, p.name))
            cfg.warn = True
            return
    if kw == "mode":
        if len(w) < 2 or w[1] not in ("tcp", "http", "health"):
            bad("unknown proxy mode '%s'." % (w[1] if len(w) > 1 else ""))
            return
        set_(p, d, "mode", w[1])
    elif kw == "balance":
        algo = w[1] if len(w) > 1 else ""
        if algo not in BALANCE and not re.fullmatch(r"(hdr|rdp-cookie)\(.*\)", algo):
            if v24():
                bad("balance only supports 'roundrobin', 'static-rr', 'leastconn', 'source', 'uri', 'url_param', "
                    "'random', 'hdr(name)' and 'rdp-cookie(name)' options.")
            else:
                bad("balance only supports 'roundrobin', 'static-rr', 'leastconn', 'source', 'uri', 'url_param', "
                    "'hdr(name)' and 'rdp-cookie(name)' options.")
            return
        if algo == "random" and not v24():
            bad("balance only supports 'roundrobin', 'static-rr', 'leastconn', 'source', 'uri', 'url_param', "
                "'hdr(name)' and 'rdp-cookie(name)' options.")
            return
        set_(p, d, "balance", algo)
    elif kw == "timeout":
        what = w[1] if len(w) > 1 else ""
        if what not in TIMEOUTS:
            bad("'timeout' supports 'client', 'server', 'connect', 'check', 'queue', 'http-keep-alive', "
                "'http-request', 'tunnel', 'tarpit', 'client-fin' and 'server-fin' (got '%s')" % what)
            return
        if len(w) < 3:
            bad("'timeout %s' expects an integer value (in milliseconds)" % what)
            return
        ms = parse_time(w[2])
        if ms is None:
            bad("unexpected character '%s' in 'timeout %s'" % (re.sub(r"^\d+", "", w[2])[:1] or w[2][:1], what))
            return
        if p is not None:
            p.timeouts[what] = ms
        else:
            d.setdefault("timeouts", {})[what] = ms
    elif kw == "retries":
        if len(w) < 2 or not w[1].isdigit():
            bad("'retries' expects an integer value.")
            return
        set_(p, d, "retries", int(w[1]))
    elif kw == "option":
        opt = w[1] if len(w) > 1 else ""
        if opt == "no" and len(w) > 2:
            opt = w[2]
        if opt not in OPTIONS:
            bad("unknown option '%s'." % opt)
            return
        if opt == "httpchk" and w[1] != "no":
            rest = w[2:]
            if len(rest) == 1:
                meth, uri, ver = "OPTIONS", rest[0], "HTTP/1.0"
            else:
                meth = rest[0] if rest else "OPTIONS"
                uri = rest[1] if len(rest) > 1 else "/"
                ver = rest[2] if len(rest) > 2 else "HTTP/1.0"
            set_(p, d, "httpchk", (meth, uri, ver))
    elif kw == "http-check":
        sub = w[1] if len(w) > 1 else ""
        if sub == "expect":
            rest = w[2:]
            neg = bool(rest) and rest[0] == "!"
            if neg:
                rest = rest[1:]
            if len(rest) < 2 or rest[0] not in ("status", "rstatus", "string", "rstring"):
                bad("'http-check expect' only supports 'status', 'rstatus', 'string', 'rstring' and 'rrstring' "
                    "(got '%s')" % (rest[0] if rest else ""))
                return
            set_(p, d, "expect", (neg, rest[0], rest[1]))
        elif v24() and sub == "connect":
            # 2.2+: the check's connection (kubeadm's guide: http-check connect ssl)
            rest, i = w[2:], 0
            while i < len(rest):
                if rest[i] == "ssl":
                    set_(p, d, "chk_ssl", True)
                elif rest[i] == "port" and i + 1 < len(rest) and rest[i + 1].isdigit():
                    set_(p, d, "chk_port", int(rest[i + 1]))
                    i += 1
                elif rest[i] in ("sni", "alpn", "addr", "proto", "comment") and i + 1 < len(rest):
                    i += 1
                elif rest[i] not in ("default", "linger", "send-proxy", "via-socks4"):
                    bad("'http-check connect' expects 'comment', 'port', 'addr', 'send-proxy', 'via-socks4', "
                        "'ssl', 'sni', 'alpn', 'proto', 'linger' or 'default' but got '%s' as argument." % rest[i])
                    return
                i += 1
        elif v24() and sub == "send":
            rest, i = w[2:], 0
            meth, uri, ver = "GET", "/", "HTTP/1.0"
            while i < len(rest):
                if rest[i] in ("meth", "uri", "ver", "hdr", "body", "uri-lf", "body-lf", "comment") and i + 1 < len(rest):
                    if rest[i] == "meth":
                        meth = rest[i + 1]
                    elif rest[i] == "uri":
                        uri = rest[i + 1]
                    elif rest[i] == "ver":
                        ver = rest[i + 1]
                    i += 2 if rest[i] != "hdr" else 3
                    continue
                bad("'http-check send' expects 'meth', 'uri', 'uri-lf', 'ver', 'hdr', 'body', 'body-lf' or "
                    "'comment' but got '%s' as argument." % rest[i])
                return
            set_(p, d, "chk_send", (meth, uri, ver))
        elif sub not in ("disable-on-404", "send-state") and not (v24() and sub in ("comment", "set-var", "unset-var")):
            if v24():
                bad("'http-check' only supports 'disable-on-404', 'send-state', 'comment', 'connect', 'send', "
                    "'expect', 'set-var' and 'unset-var' (got '%s')." % sub)
            else:
                bad("'http-check' only supports 'disable-on-404', 'send-state', 'expect'.")
            return
    elif kw == "bind":
        if len(w) < 2:
            bad("'bind' expects {<path>|[addr1]:port1[-end1]}{|[addr2]:port2[-end2]}|...} as arguments.")
            return
        for a in w[1].split(","):
            try:
                host, port = parse_addr(a)
            except ValueError as e:
                bad("'bind %s' : %s" % (w[1], e))
                return
            if port is None:
                bad("'bind %s' : missing port number: '%s'" % (w[1], a))
                return
            p.binds.append((host, port, f, n))
    elif kw in ("server", "default-server"):
        parse_server(p, d, f, n, w, bad)
    elif kw == "default_backend":
        if len(w) < 2:
            bad("'default_backend' expects a backend name.")
            return
        set_(p, d, "default_backend", w[1])
    elif kw == "use_backend":
        if len(w) < 2:
            bad("'use_backend' expects a backend name.")
            return
        p.use_backends.append((w[1], f, n))


def read_lines(path):
    try:
        with open(path) as fh:
            return fh.read().splitlines()
    except OSError:
        return []


def suggest(kw, known):
    if not v24():
        return ""
    m = difflib.get_close_matches(kw, sorted(known), n=1, cutoff=0.8)
    return "; did you mean '%s' maybe ?" % m[0] if m else ""


def set_(p, d, key, value):
    if p is not None:
        setattr(p, key, value)
    else:
        d[key] = value


def parse_server(p, d, f, n, w, bad):
    kw = w[0]
    if kw == "server":
        if len(w) < 3:
            bad("'server' expects <name> and <addr>[:<port>] as arguments.")
            return
        try:
            host, port = parse_addr(w[2])
        except ValueError as e:
            bad("'server %s' : %s" % (w[1], e))
            return
        s = Server(w[1], host, port)
        s.line = (f, n)
        args = w[3:]
        defaults = p.default_server
        for k, v in defaults.items():
            setattr(s, k, v)
    else:
        s, args = None, w[1:]
        target = (p.default_server if p is not None else d.setdefault("default_server", {}))
    i = 0
    vals = {}
    while i < len(args):
        a = args[i]
        if a in SERVER_KW_FLAG:
            vals[a] = True
            i += 1
            continue
        if a in SERVER_KW_ARG:
            if i + 1 >= len(args):
                bad("'%s %s' : '%s' expects an argument." % (kw, s.name if s else "", a) if s else
                    "'%s' : '%s' expects an argument." % (kw, a))
                return
            vals[a] = args[i + 1]
            i += 2
            continue
        who = "'%s %s'" % (kw, s.name) if s else "'%s'" % kw
        known = sorted(SERVER_KW_FLAG | SERVER_KW_ARG)
        bad("%s unknown keyword '%s'. Registered keywords :\n%s" % (
            who, a, "\n".join("    [ SSL] %s%s" % (k, " <arg>" if k in SERVER_KW_ARG else "") for k in known)))
        return
    out = {}
    for a, v in vals.items():
        if a in ("inter", "fastinter", "downinter"):
            ms = parse_time(v)
            if ms is None or ms == 0:
                bad("'%s %s' : unexpected character '%s' in '%s' argument of server %s." % (
                    kw, s.name if s else "", v[:1], a, s.name if s else "") if ms is None else
                    "'%s %s' : '%s' expects a positive delay in milliseconds." % (kw, s.name if s else "", a))
                return
            if a == "inter":
                out["inter"] = ms
        elif a in ("fall", "rise", "weight", "port"):
            if not v.isdigit() or (a != "weight" and int(v) <= 0):
                bad("'%s' expects an integer argument > 0." % a if a != "port" else "'port' expects a valid TCP port (got %s)." % v)
                return
            out[{"port": "check_port"}.get(a, a)] = int(v)
        elif a == "verify":
            if v not in ("none", "required"):
                bad("'verify' : unknown verify method '%s', only 'none' and 'required' are supported" % v)
                return
            out["verify"] = v
        elif a == "ca-file":
            out["ca_file"] = v
        elif a in ("check", "no-check"):
            out["check"] = a == "check"
        elif a in ("check-ssl", "no-check-ssl"):
            out["check_ssl"] = a == "check-ssl"
        elif a in ("ssl", "no-ssl"):
            out["ssl"] = a == "ssl"
        elif a in ("backup", "no-backup"):
            out["backup"] = a == "backup"
        elif a in ("disabled", "enabled"):
            out["disabled"] = a == "disabled"
    if s is None:
        target.update(out)
        return
    for k, v in out.items():
        setattr(s, k, v)
    p.servers.append(s)


def check_validity(cfg):
    """check_config_validity(): what fails after parsing; returns True when fatal."""
    fatal = False
    by_name = {}
    for p in cfg.proxies:
        if p.be:
            by_name.setdefault(p.name, p)
    no_verify = any(a and a[0] == "none" for a in cfg.globals.get("ssl-server-verify", []))
    for p in cfg.proxies:
        if p.fe and p.default_backend:
            be = by_name.get(p.default_backend)
            if be is None:
                alert("Proxy '%s': unable to find required default_backend: '%s'." % (p.name, p.default_backend))
                fatal = True
            elif not v24() and p.mode == "http" and be.mode != "http":
                alert("%s %s '%s' (%s:%d) tries to use incompatible %s %s '%s' (%s:%d) as its default backend (see 'mode')." % (
                    "HTTP", p.kind, p.name, p.where[0], p.where[1], "TCP", be.kind, be.name, be.where[0], be.where[1]))
                fatal = True
        for name, f, n in p.use_backends:
            if name not in by_name and "%[" not in name:
                alert("Proxy '%s': unable to find required use_backend: '%s'." % (p.name, name))
                fatal = True
        if p.fe and not p.binds:
            warning("config : %s '%s' has no 'bind' directive. Please declare it as a backend if this was intended." % (
                p.kind, p.name))
        if p.mode in ("tcp", "http") and (
                (p.fe and not p.timeouts.get("client")) or
                (p.be and (not p.timeouts.get("connect") or not p.timeouts.get("server")))):
            warning("config : missing timeouts for %s '%s'.\n"
                    "   | While not properly invalid, you will certainly encounter various problems\n"
                    "   | with such a configuration. To fix this, please ensure that all following\n"
                    "   | timeouts are set to a non-zero value: 'client', 'connect', 'server'." % (p.kind, p.name))
        if p.be and p.expect and not p.httpchk:
            warning("config : '%s' will be ignored for %s '%s' (requires 'option httpchk')." % (
                "http-check expect", p.kind, p.name))
        for s in p.servers:
            if (s.ssl or (s.check and s.check_ssl)) and (s.verify or ("none" if no_verify else "required")) == "required" \
                    and not s.ca_file:
                alert("Proxy '%s', server '%s' [%s:%d] verify is enabled by default but no CA file specified. If "
                      "you're running on a LAN where you're certain to trust the server's certificate, please set "
                      "an explicit 'verify none' statement on the 'server' line, or use 'ssl-server-verify none' in "
                      "the global section to disable server-side verifications by default." % (
                          p.name, s.name, s.line[0], s.line[1]))
                fatal = True
            if s.ca_file and not os.path.isfile(s.ca_file):
                alert("Proxy '%s', server '%s' [%s:%d] unable to load CA file '%s'." % (
                    p.name, s.name, s.line[0], s.line[1], s.ca_file))
                fatal = True
    return fatal


def load(paths):
    """parse + check; returns the Config or None (alerts printed)."""
    cfg = parse_files(paths)
    if cfg.fatal:
        alert("Fatal errors found in configuration.")
        return None
    if check_validity(cfg):
        alert("Fatal errors found in configuration.")
        return None
    return cfg


# ------------------------------------------------------------------ the running proxy

LOCK = threading.RLock()
RUN = {"cfg": None, "listeners": {}, "generation": 0, "stop": False}


def counts(be):
    act = sum(1 for s in be.servers if s.up and not s.backup and not s.disabled)
    bck = sum(1 for s in be.servers if s.up and s.backup and not s.disabled)
    return act, bck


def set_state(be, s, up, reason, dur):
    with LOCK:
        if s.up == up:
            return
        s.up = up
        act, bck = counts(be)
    if up:
        warning("Server %s/%s is UP, reason: %s, check duration: %dms. %d active and %d backup servers online. "
                "0 sessions requeued, 0 total in queue." % (be.name, s.name, reason, dur, act, bck))
    else:
        warning("Server %s/%s is DOWN, reason: %s, check duration: %dms. %d active and %d backup servers left. "
                "0 sessions active, 0 requeued, 0 remaining in queue." % (be.name, s.name, reason, dur, act, bck))
        if act == 0 and bck == 0:
            alert("%s '%s' has no server available!" % ("backend", be.name) if v24() else
                  "%s %s has no server available!" % ("backend", be.name))


REASONS = {200: "OK", 204: "No Content", 301: "Moved Permanently", 302: "Found", 400: "Bad Request",
           401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 500: "Internal Server Error",
           502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout"}


def run_check(be, s):
    """one health check -> (ok, reason text)."""
    timeout = (be.timeouts.get("check") or be.timeouts.get("connect") or s.inter) / 1000.0
    port = s.check_port or be.chk_port or s.port
    try:
        raw = socket.create_connection((s.host, port), timeout=timeout)
    except socket.timeout:
        return False, "Layer4 timeout"
    except ConnectionRefusedError:
        return False, 'Layer4 connection problem, info: "Connection refused"'
    except OSError as e:
        return False, 'Layer4 connection problem, info: "%s"' % (e.strerror or "General socket error")
    try:
        raw.settimeout(timeout)
        conn = raw
        if s.check_ssl or s.ssl or be.chk_ssl:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            if (s.verify or "required") == "none":
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            else:
                ctx.check_hostname = False
                ctx.load_verify_locations(s.ca_file)
            try:
                conn = ctx.wrap_socket(raw)
            except (ssl.SSLError, OSError):
                return False, 'Layer6 invalid response, info: "SSL handshake failure"'
        if not be.httpchk:
            return True, "Layer4 check passed" if conn is raw else "Layer6 check passed"
        meth, uri, ver = be.chk_send or be.httpchk
        conn.sendall(("%s %s %s\r\n\r\n" % (meth, uri, ver)).encode())
        data = b""
        while b"\r\n" not in data and len(data) < 8192:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
        body = data
        try:
            while len(body) < 16384:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                body += chunk
        except (OSError, ssl.SSLError):
            pass
        m = re.match(rb"HTTP/\d\.\d (\d{3}) ?([^\r\n]*)", data)
        if not m:
            return False, 'Layer7 invalid response, info: "%s"' % data[:40].decode("latin-1").split("\r")[0]
        code, info = int(m.group(1)), m.group(2).decode("latin-1") or REASONS.get(int(m.group(1)), "")
        if be.expect:
            neg, kind, val = be.expect
            if kind == "status":
                ok = str(code) == val
            elif kind == "rstatus":
                ok = re.search(val, str(code)) is not None
            elif kind == "string":
                ok = val.encode() in body.partition(b"\r\n\r\n")[2]
            else:
                ok = re.search(val.encode(), body.partition(b"\r\n\r\n")[2]) is not None
            ok = ok != neg
            if not ok:
                return False, 'Layer7 wrong status, code: %d, info: "%s"' % (code, info)
            return True, 'Layer7 check passed, code: %d, info: "%s"' % (code, info)
        if 200 <= code < 400:
            return True, 'Layer7 check passed, code: %d, info: "%s"' % (code, info)
        return False, 'Layer7 wrong status, code: %d, info: "%s"' % (code, info)
    except socket.timeout:
        return False, "Layer7 timeout" if be.httpchk else "Layer4 timeout"
    except (OSError, ssl.SSLError) as e:
        return False, 'Layer7 invalid response, info: "%s"' % (getattr(e, "strerror", None) or "Connection reset")
    finally:
        try:
            raw.close()
        except OSError:
            pass


def checker(gen, be, s):
    """haproxy's check state machine: health in [0, rise+fall-1], UP when >= rise; a server
    starts UP with health = rise (down at the first failure)."""
    s.health = s.rise
    s.up = True
    while not RUN["stop"] and RUN["generation"] == gen:
        t0 = time.time()
        ok, reason = run_check(be, s)
        dur = int((time.time() - t0) * 1000)
        if RUN["generation"] != gen:
            return
        if ok:
            if s.health < s.rise + s.fall - 1:
                s.health += 1
                if s.health >= s.rise and not s.up:
                    s.health = s.rise + s.fall - 1
                    set_state(be, s, True, reason, dur)
        else:
            if s.health > 0:
                s.health -= 1
                if s.health < s.rise:
                    s.health = 0
                    set_state(be, s, False, reason, dur)
        time.sleep(max(0.0, s.inter / 1000.0 - (time.time() - t0)))


def pick(be):
    with LOCK:
        pool = [s for s in be.servers if s.up and not s.disabled and not s.backup and s.weight > 0]
        if not pool:
            pool = [s for s in be.servers if s.up and not s.disabled and s.backup]
        if not pool:
            return []
        be.rr = (be.rr + 1) % len(pool)
        return pool[be.rr:] + pool[:be.rr]


def pump(a, b):
    try:
        while True:
            r, _, _ = select.select([a, b], [], [], 3600)
            if not r:
                return
            for src in r:
                dst = b if src is a else a
                data = src.recv(65536)
                if not data:
                    try:
                        dst.shutdown(socket.SHUT_WR)
                    except OSError:
                        pass
                    # the other direction still runs until it closes too
                    rest = dst
                    while True:
                        more = rest.recv(65536)
                        if not more:
                            return
                        src.sendall(more)
                dst.sendall(data)
    except OSError:
        return
    finally:
        for x in (a, b):
            try:
                x.close()
            except OSError:
                pass


def handle(client, fe_name, local_port):
    cfg = RUN["cfg"]
    fe = next((p for p in cfg.proxies if p.name == fe_name and p.fe), None)
    if fe is None:
        client.close()
        return
    be = fe if fe.kind == "listen" else None
    if be is None and fe.default_backend:
        be = next((p for p in cfg.proxies if p.be and p.name == fe.default_backend), None)
    if be is None and fe.use_backends:
        be = next((p for p in cfg.proxies if p.be and p.name == fe.use_backends[0][0]), None)
    if be is None:
        client.close()
        return
    timeout = (be.timeouts.get("connect") or 5000) / 1000.0
    tries = 0
    for s in pick(be):
        if tries > be.retries:
            break
        tries += 1
        try:
            up = socket.create_connection((s.host, s.port or local_port), timeout=timeout)
        except OSError:
            continue
        up.settimeout(None)
        client.settimeout(None)
        pump(client, up)
        return
    client.close()


def acceptor(sock, key):
    while not RUN["stop"]:
        try:
            c, _ = sock.accept()
        except OSError:
            if RUN["listeners"].get(key, (None,))[0] is not sock:
                return
            time.sleep(0.05)
            continue
        fe_name = RUN["listeners"].get(key, (None, None))[1]
        if fe_name is None:
            c.close()
            continue
        threading.Thread(target=handle, args=(c, fe_name, key[1]), daemon=True).start()


def apply(cfg, first):
    """binds what cfg needs (keeping listeners on the same address), starts its checks."""
    wanted = {}
    for p in cfg.proxies:
        if p.fe:
            for host, port, f, n in p.binds:
                wanted[(host, port)] = p.name
    new = {}
    for key, name in wanted.items():
        if key in RUN["listeners"]:
            new[key] = (RUN["listeners"][key][0], name)
            continue
        fam = socket.AF_INET6 if ":" in key[0] else socket.AF_INET
        s = socket.socket(fam, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if "noreuseport" not in cfg.globals:
            # as haproxy: a new process (-sf, a reload) binds beside the old one
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        try:
            s.bind(key)
            s.listen(1024)
        except OSError:
            s.close()
            shown = "[%s:%d]" % key if fam == socket.AF_INET else "[%s:%d]" % key
            alert("Starting %s %s: cannot bind socket %s" % ("frontend" if any(
                p.kind == "frontend" for p in cfg.proxies if p.name == name) else "proxy", name, shown))
            for k, (sock, _) in new.items():
                if k not in RUN["listeners"]:
                    sock.close()
            return False
        new[key] = (s, name)
    old = RUN["listeners"]
    with LOCK:
        RUN["cfg"] = cfg
        RUN["generation"] += 1
        RUN["listeners"] = new
    for key, (sock, _) in old.items():
        if key not in new:
            try:
                sock.close()
            except OSError:
                pass
    for key, (sock, _) in new.items():
        if key not in old:
            threading.Thread(target=acceptor, args=(sock, key), daemon=True).start()
    gen = RUN["generation"]
    for p in cfg.proxies:
        if p.be:
            for s in p.servers:
                if s.check and not s.disabled:
                    threading.Thread(target=checker, args=(gen, p, s), daemon=True).start()
    return True


def sd_notify(msg):
    path = os.environ.get("NOTIFY_SOCKET")
    if not path:
        return
    if path.startswith("@"):
        path = "\0" + path[1:]
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        s.connect(path)
        s.sendall(msg.encode())
        s.close()
    except OSError:
        pass


def serve(paths, pidfile, master, daemon, foreground, old_pids, old_sig):
    cfg = load(paths)
    if cfg is None:
        return 1
    chroot = cfg.globals.get("chroot")
    if chroot and chroot[-1] and not os.path.isdir(chroot[-1][0]):
        alert("[%s.main()] Cannot chroot(%s)." % (PROG, chroot[-1][0]))
        return 1
    if not pidfile and cfg.globals.get("pidfile"):
        pidfile = (cfg.globals["pidfile"][-1] or [None])[0]
    # -D or 'daemon' (not with -W/-Ws, -d, -db): in the background, the command returns once bound
    ready = None
    if not master and not foreground and (daemon or "daemon" in cfg.globals):
        r, w = os.pipe()
        if os.fork():
            os.close(w)
            ok = os.read(r, 1)
            return 0 if ok == b"1" else 1
        os.close(r)
        os.setsid()
        if os.fork():
            os._exit(0)
        ready = w
    if not apply(cfg, True):
        if ready is not None:
            os.write(ready, b"0")
            os._exit(1)
        return 1
    if pidfile:
        try:
            with open(pidfile, "w") as fh:
                fh.write("%d\n" % os.getpid())
        except OSError:
            alert("[%s.main()] Cannot create pidfile %s" % (PROG, pidfile))
            if ready is not None:
                os.write(ready, b"0")
                os._exit(1)
            return 1
    for pid in old_pids:
        try:
            os.kill(pid, old_sig)
        except OSError:
            pass
    if ready is not None:
        os.write(ready, b"1")
        os.close(ready)
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
    # The handlers only set flags: a threading.Event set from a signal handler
    # deadlocks when the signal lands while the main thread holds the Event's
    # own lock (a `timeout 2 haproxy -db` once hung a test for 10 minutes).
    RUN["reload"] = False

    def on_usr2(signum, frame):
        RUN["reload"] = True

    def on_term(signum, frame):
        RUN["stop"] = True

    signal.signal(signal.SIGUSR2, on_usr2)
    signal.signal(signal.SIGHUP, on_usr2)
    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    signal.signal(signal.SIGUSR1, on_term)
    if v24() and master:
        notice("New worker #1 (%d) forked" % os.getpid())
    sd_notify("READY=1\nMAINPID=%d\n" % os.getpid())
    workers = 1
    while True:
        while not RUN["stop"] and not RUN["reload"]:
            time.sleep(0.05)
        RUN["reload"] = False
        if RUN["stop"]:
            break
        if v24():
            notice("Reloading HAProxy")
        else:
            warning("Reexecuting Master process")
        new = load(paths)
        if new is None or not apply(new, False):
            if v24():
                warning("Loading failure!")
            else:
                alert("Reexecuting Master process in waitpid mode")
            continue
        workers += 1
        if v24():
            notice("New worker #1 (%d) forked" % os.getpid())
    if pidfile:
        try:
            os.unlink(pidfile)
        except OSError:
            pass
    return 0


def main(version, argv):
    global VERSION, QUIET
    VERSION = version
    args = argv[1:]
    paths, check, pidfile, master = [], False, None, False
    daemon, foreground, old_pids, old_sig = False, False, [], signal.SIGUSR1
    i = 0
    while i < len(args):
        a = args[i]
        if a == "-v":
            sys.stdout.write(version_text())
            return 0
        if a == "-vv":
            sys.stdout.write(version_text())
            sys.stdout.write("\nBuild options :\n  TARGET  = linux-glibc\n  CPU     = generic\n  CC      = cc\n"
                             "\nFeature list : +EPOLL -KQUEUE +NETFILTER +PCRE2 +PCRE2_JIT -PCRE_JIT +POLL "
                             "-PRIVATE_CACHE +THREAD -PTHREAD_PSHARED +BACKTRACE -STATIC_PCRE -STATIC_PCRE2 "
                             "+TPROXY +LINUX_TPROXY +LINUX_SPLICE +LIBCRYPT +CRYPT_H +GETADDRINFO +OPENSSL "
                             "+LUA +FUTEX +ACCEPT4 -CLOSEFROM +ZLIB -SLZ +CPU_AFFINITY +TFO +NS +DL +RT "
                             "-DEVICEATLAS -51DEGREES -WURFL +SYSTEMD -OBSOLETE_LINKER +PRCTL +THREAD_DUMP -EVPORTS\n")
            return 0
        if a == "-c":
            check = True
        elif a == "-q":
            QUIET = True
        elif a == "-V":
            QUIET = False
        elif a == "-f":
            if i + 1 >= len(args):
                usage()
            paths.append(args[i + 1])
            i += 1
        elif a == "-p":
            if i + 1 >= len(args):
                usage()
            pidfile = args[i + 1]
            i += 1
        elif a in ("-Ws", "-W"):
            master = True
        elif a == "-D":
            daemon = True
        elif a in ("-db", "-d"):
            foreground = True
        elif a in ("-de", "-dp", "-dS", "-dr", "-dV", "-dW"):
            pass
        elif a in ("-sf", "-st"):
            old_sig = signal.SIGUSR1 if a == "-sf" else signal.SIGTERM
            while i + 1 < len(args) and args[i + 1].isdigit():
                old_pids.append(int(args[i + 1]))
                i += 1
        elif a in ("-x", "-S", "-L", "-n", "-N", "-m", "-C"):
            i += 1
        elif a == "--":
            paths += args[i + 1:]
            break
        else:
            usage()
        i += 1
    if not paths:
        usage()
    if check:
        cfg = load(paths)
        if cfg is None:
            return 1
        if not QUIET:
            sys.stdout.write("Configuration file is valid\n")
        return 0
    return serve(paths, pidfile, master, daemon, foreground, old_pids, old_sig)
