#!/usr/bin/env bash
# The sandbox's per-host loopback and the haproxy package stand-in, on their own fleet of 4
# (net 92, port 2492; run-lock-test has net 85): every host's 127.0.0.1 (and localhost) is its own (two hosts listen on
# 127.0.0.1:PORT at once, each reaches its own, nobody else's), then the node-local API endpoint
# of kubeadm's HA guide: `dnf install -y haproxy` on two workers, `haproxy -c` on good and bad
# configurations (haproxy 1.8's alerts with file:line, exit 1), the service started, reloaded
# and stopped through systemctl, each worker's 127.0.0.1:6443 forwarding TCP round robin to
# HTTPS test servers on cp1's and worker01's address:6443 (health checks GET /healthz over TLS),
# failover when cp1 goes down (stop-host) and back when it returns, a reboot with the unit enabled,
# then the real API server stand-in (kubeadm init on cp1) behind worker02's 127.0.0.1:6443, haproxy
# run by hand ('daemon', -sf, -db, a port taken) and dnf remove (%preun stops it).
# Usage: sandbox-haproxy-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
# The single-quoted scripts run on the hosts, expanded there.
# shellcheck disable=SC2016
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

# onh HOST SCRIPT: runs SCRIPT with bash as root on HOST, stdout and stderr merged into
# $work/out (what check prints on a failure), its status in $work/rc.
onh() { on "$1" bash -c "exec 2>&1
$2" >"$work/out"; echo $? >"$work/rc"; }
output() { cat "$work/out"; }

"$fleet" up --net 92 --port 2492 4 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
CP1=127.0.92.1 W1=127.0.92.2

# ---------------------------------------------------------------- each host's own loopback
# A tiny TCP server that answers with its host name and the addresses it sees.
IDSRV='cat >/root/idsrv.py <<"EOF"
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(16)
print("listening on %s:%d" % s.getsockname(), flush=True)
while True:
    c, peer = s.accept()
    c.sendall(("%s %s:%d\n" % (socket.gethostname(), *c.getsockname())).encode())
    c.close()
EOF
setsid python3 /root/idsrv.py 127.0.0.1 7000 >/root/idsrv.log 2>&1 </dev/null &
for i in $(seq 50); do grep -q listening /root/idsrv.log && break; sleep 0.1; done
cat /root/idsrv.log'
ASK='python3 -c "
import socket, sys
for h in sys.argv[1:]:
    c = socket.create_connection((h, 7000), timeout=3)
    print(h, \"->\", c.recv(100).decode().strip(), \"peer\", \"%s:%d\" % c.getpeername())
" 127.0.0.1 localhost'
onh worker02 "$IDSRV"
check "worker02 listens on 127.0.0.1:7000 (getsockname says 127.0.0.1)" "[ \$(rc) = 0 ] && has '^listening on 127.0.0.1:7000\$'"
onh worker03 "$IDSRV"
check "worker03 listens on 127.0.0.1:7000 at the same time" "[ \$(rc) = 0 ] && has '^listening on 127.0.0.1:7000\$'"
onh worker02 "$ASK"
check "worker02's 127.0.0.1 and localhost reach worker02's server" \
  "[ \$(rc) = 0 ] && has '^127.0.0.1 -> worker02 127.0.0.1:7000 peer 127.0.0.1:7000\$' && has '^localhost -> worker02 127.0.0.1:7000 peer 127.0.0.1:7000\$'"
onh worker03 "$ASK"
check "worker03's reach worker03's" "[ \$(rc) = 0 ] && has '^127.0.0.1 -> worker03 ' && has '^localhost -> worker03 '"
onh cp1 "$ASK"
check "cp1's 127.0.0.1:7000: nothing listens there (connection refused)" "[ \$(rc) = 1 ] && has 'ConnectionRefusedError'"
ss -Hltn 'sport = :7000' >"$work/out"
check "on the machine: the two listeners are the workers' own addresses, 127.0.0.1 is free" \
  "has '127\.0\.92\.3:7000' && has '127\.0\.92\.4:7000' && ! has '127\.0\.0\.1:7000'"
onh worker02 'pkill -f "^python3 /root/idsrv"; ssh -o BatchMode=yes -p 2492 127.0.0.1 true; echo ssh=$?'
check "sshd on the host's address is untouched (its port answers on the host's 127.0.0.1 too)" "has 'ssh=255' && has 'Permission denied|Host key verification failed'"
on worker03 pkill -f '^python3 /root/idsrv'

# ---------------------------------------------------------------- backends: HTTPS test servers
# An HTTPS server on the host's address:6443 as the API server listens: /healthz answers ok,
# everything else names the host; /root/down makes /healthz answer 503.
BACKEND='cd /root && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
  -subj "/CN=$(hostname)" -keyout be.key -out be.crt >/dev/null 2>&1 || exit 9
cat >/root/backend.py <<"EOF"
import http.server, os, socket, ssl, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        down = self.path == "/healthz" and os.path.exists("/root/down")
        body = b"ok" if self.path == "/healthz" else ("backend %s\n" % socket.gethostname()).encode()
        self.send_response(503 if down else 200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
srv = http.server.ThreadingHTTPServer((sys.argv[1], 6443), H)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain("/root/be.crt", "/root/be.key")
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
print("serving", flush=True)
srv.serve_forever()
EOF
setsid python3 /root/backend.py "$(awk -F= "/^ip=/ { print \$2 }" /etc/sandbox/hardware)" >/root/backend.log 2>&1 </dev/null &
for i in $(seq 50); do grep -q serving /root/backend.log && break; sleep 0.1; done
cat /root/backend.log'
onh cp1 "$BACKEND"
check "cp1: an HTTPS server on 127.0.92.1:6443" "[ \$(rc) = 0 ] && has '^serving\$'"
onh worker01 "$BACKEND"
check "worker01: one on 127.0.92.2:6443" "[ \$(rc) = 0 ] && has '^serving\$'"

# ---------------------------------------------------------------- the package
onh worker02 'dnf install -y haproxy | grep -E "^ haproxy|Running scriptlet|^Complete"; rpm -q haproxy; id haproxy; rpm -ql haproxy; haproxy -v'
check "dnf install -y haproxy: 1.8.27-5.el8 from appstream, the haproxy user (188), the package's files" \
  "[ \$(rc) = 0 ] && has '^ haproxy +x86_64 +1\.8\.27-5\.el8 +appstream' && has '^haproxy-1\.8\.27-5\.el8\.x86_64\$' && has '^uid=188\(haproxy\) gid=188\(haproxy\)' && has '^/etc/haproxy/haproxy\.cfg\$' && has '^/usr/lib/systemd/system/haproxy\.service\$' && has '^/usr/sbin/haproxy\$' && has '^/var/lib/haproxy\$' && has '^HA-Proxy version 1\.8\.27-493ce0b 2020/11/06\$'"
onh worker03 'dnf install -y -q haproxy && systemctl cat haproxy'
check "the unit as the package ships it: ExecStartPre's check, Type=notify, reload by USR2" \
  "[ \$(rc) = 0 ] && has '^ExecStartPre=/usr/sbin/haproxy -f \\\$CONFIG -c -q \\\$OPTIONS\$' && has '^ExecStart=/usr/sbin/haproxy -Ws -f \\\$CONFIG -p \\\$PIDFILE \\\$OPTIONS\$' && has '^ExecReload=/bin/kill -USR2 \\\$MAINPID\$' && has '^Type=notify\$'"
onh worker02 'haproxy -c -f /etc/haproxy/haproxy.cfg; echo rc=$?; haproxy -c -q -f /etc/haproxy/haproxy.cfg; echo rc=$?'
check "haproxy -c on the package's configuration: valid (-q: silent)" "[ \"\$(output)\" = \$'Configuration file is valid\nrc=0\nrc=0' ]"

# ---------------------------------------------------------------- configuration checks
# kubeadm's HA guide (docs/ha-considerations.md), the form haproxy 1.8 understands.
CFG='global
    log /dev/log local0
    log /dev/log local1 notice
    daemon

defaults
    mode                    http
    log                     global
    option                  httplog
    option                  dontlognull
    option http-server-close
    option forwardfor       except 127.0.0.0/8
    option                  redispatch
    retries                 1
    timeout http-request    10s
    timeout queue           20s
    timeout connect         5s
    timeout client          20s
    timeout server          20s
    timeout http-keep-alive 10s
    timeout check           10s

frontend apiserver
    bind 127.0.0.1:6443
    mode tcp
    option tcplog
    default_backend apiserverbackend

backend apiserverbackend
    option httpchk GET /healthz
    http-check expect status 200
    mode tcp
    balance     roundrobin
    server cp1 '$CP1':6443 check check-ssl verify none inter 1s fall 2 rise 2
    server worker01 '$W1':6443 check check-ssl verify none inter 1s fall 2 rise 2
'
onh worker02 "cat >/etc/haproxy/haproxy.cfg <<'EOF'
$CFG
EOF
haproxy -c -f /etc/haproxy/haproxy.cfg"
check "kubeadm's configuration: valid" "[ \$(rc) = 0 ] && [ \"\$(output)\" = 'Configuration file is valid' ]"
onh worker02 'sed "s/check check-ssl verify none/check check-ssl/; s/balance     roundrobin/balance round-robin/; s/^    retries  *1/    retrys 1/" /etc/haproxy/haproxy.cfg >/root/bad.cfg; haproxy -c -f /root/bad.cfg'
check "typos: haproxy's alerts with file:line, then the summary, exit 1" \
  "[ \$(rc) = 1 ] && has '^\[ALERT\] [0-9]{3}/[0-9]{6} \([0-9]+\) : parsing \[/root/bad\.cfg:14\] : unknown keyword .retrys. in .defaults. section\$' && has 'parsing \[/root/bad\.cfg:33\] : balance only supports .roundrobin., .static-rr., .leastconn., .source., .uri., .url_param., .hdr\(name\). and .rdp-cookie\(name\). options\.\$' && has ': Error\(s\) found in configuration file : /root/bad\.cfg\$' && has ': Fatal errors found in configuration\.\$' && ! has 'valid'"
onh worker02 'sed "s/check check-ssl verify none/check check-ssl/" /etc/haproxy/haproxy.cfg >/root/noverify.cfg; haproxy -c -f /root/noverify.cfg'
check "check-ssl without 'verify none' and without a CA: haproxy refuses" \
  "[ \$(rc) = 1 ] && has \"Proxy 'apiserverbackend', server 'cp1' \[/root/noverify\.cfg:34\] verify is enabled by default but no CA file specified\.\" && has 'Fatal errors found in configuration\.'"
onh worker02 'sed "s#option httpchk GET /healthz#option httpchk\n    http-check connect ssl\n    http-check send meth GET uri /healthz#" /etc/haproxy/haproxy.cfg >/root/new.cfg; haproxy -c -f /root/new.cfg'
check "the guide's newer http-check connect/send (haproxy 2.2+): haproxy 1.8 does not know them" \
  "[ \$(rc) = 1 ] && has \"parsing \[/root/new\.cfg:31\] : 'http-check' only supports 'disable-on-404', 'send-state', 'expect'\.\""
onh worker02 'printf "frontend fe\n    bind 127.0.0.1\n" >/root/port.cfg; haproxy -c -f /root/port.cfg; haproxy -c -f /root/missing.cfg'
check "a bind without a port; a missing file" \
  "[ \$(rc) = 1 ] && has \"parsing \[/root/port\.cfg:2\] : 'bind 127\.0\.0\.1' : missing port number: '127\.0\.0\.1'\" && has 'Could not open configuration file /root/missing\.cfg : No such file or directory'"

# ---------------------------------------------------------------- the service
# six requests through the host's 127.0.0.1:6443: which backend answered each
GET='python3 -c "
import ssl, urllib.request
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
for i in range(6):
    print(urllib.request.urlopen(\"https://127.0.0.1:6443/\", context=ctx, timeout=5).read().decode().strip())
"'
onh worker02 'systemctl start haproxy; echo rc=$?; systemctl is-active haproxy; systemctl status haproxy; cat /run/haproxy.pid'
check "systemctl start haproxy: ExecStartPre's check, the proxy running (notify), status with its process" \
  "has '^rc=0\$' && has '^active\$' && has '^   Active: active \(running\) since ' && has '^  Process: [0-9]+ ExecStartPre=/usr/sbin/haproxy -f \\\$CONFIG -c -q \\\$OPTIONS \(code=exited, status=0/SUCCESS\)\$' && has '^ Main PID: [0-9]+ \(haproxy\)\$' && has '└─[0-9]+ .*/usr/sbin/haproxy -Ws -f /etc/haproxy/haproxy\.cfg -p /run/haproxy\.pid\$'"
onh worker03 "cat >/etc/haproxy/haproxy.cfg <<'EOF'
$CFG
EOF
systemctl start haproxy && systemctl is-active haproxy"
check "worker03 runs its own on its own 127.0.0.1:6443 at the same time" "[ \$(rc) = 0 ] && has '^active\$'"
ss -Hltn 'sport = :6443' >"$work/out"
check "on the machine: the backends on their addresses, the workers' proxies on theirs" \
  "has '127\.0\.92\.1:6443' && has '127\.0\.92\.2:6443' && has '127\.0\.92\.3:6443' && has '127\.0\.92\.4:6443' && ! has '127\.0\.0\.1:6443'"
sleep 2.5   # rise 2 x inter 1s: both servers fully up
onh worker02 "$GET"
check "worker02's 127.0.0.1:6443 forwards round robin to both backends" \
  "[ \$(rc) = 0 ] && [ \$(grep -c '^backend cp1\$' $work/out) = 3 ] && [ \$(grep -c '^backend worker01\$' $work/out) = 3 ]"
onh worker03 "$GET"
check "so does worker03's" "[ \$(rc) = 0 ] && has '^backend cp1\$' && has '^backend worker01\$'"

# ---------------------------------------------------------------- failover
"$fleet" stop-host "$dir" cp1 >/dev/null
onh worker02 'for i in $(seq 60); do grep -q "Server apiserverbackend/cp1 is DOWN" /var/log/sandbox-haproxy.log && break; sleep 0.2; done; grep "is DOWN" /var/log/sandbox-haproxy.log'
check "cp1 stopped: after fall (2) failed checks the server is DOWN" \
  "[ \$(rc) = 0 ] && has '^\[WARNING\] [0-9]{3}/[0-9]{6} \([0-9]+\) : Server apiserverbackend/cp1 is DOWN, reason: Layer4 connection problem, info: \"Connection refused\", check duration: [0-9]+ms\. 1 active and 0 backup servers left\. 0 sessions active, 0 requeued, 0 remaining in queue\.\$'"
onh worker02 "$GET"
check "all traffic goes to worker01 now" "[ \$(rc) = 0 ] && [ \$(grep -c '^backend worker01\$' $work/out) = 6 ]"
onh worker01 'touch /root/down'
onh worker02 'for i in $(seq 60); do grep -q "worker01 is DOWN" /var/log/sandbox-haproxy.log && break; sleep 0.2; done; grep "worker01 is DOWN\|no server available" /var/log/sandbox-haproxy.log; '"$GET"
check "worker01's /healthz answers 503: Layer7 wrong status, no server left, the client is closed" \
  "[ \$(rc) = 1 ] && has 'Server apiserverbackend/worker01 is DOWN, reason: Layer7 wrong status, code: 503, info: \"Service Unavailable\"' && has 'backend apiserverbackend has no server available!' && ! has '^backend '"
onh worker01 'rm /root/down'
"$fleet" start-host "$dir" cp1 >/dev/null
onh cp1 "$BACKEND"
onh worker02 'for i in $(seq 60); do [ $(grep -c "is UP" /var/log/sandbox-haproxy.log) = 2 ] && break; sleep 0.2; done; grep "is UP" /var/log/sandbox-haproxy.log; '"$GET"
check "both back: UP after rise (2) good checks (Layer7 check passed), round robin again" \
  "[ \$(rc) = 0 ] && has 'Server apiserverbackend/cp1 is UP, reason: Layer7 check passed, code: 200, info: \"OK\", check duration: [0-9]+ms\. [12] active and 0 backup servers online\. 0 sessions requeued, 0 total in queue\.' && [ \$(grep -c '^backend cp1\$' $work/out) = 3 ]"

# ---------------------------------------------------------------- reload
onh worker02 'sed -i "s/^    server cp1 .*//" /etc/haproxy/haproxy.cfg
printf "\nlisten extra\n    bind 127.0.0.1:7443\n    mode tcp\n    server cp1 '$CP1':6443\n" >>/etc/haproxy/haproxy.cfg
( for i in $(seq 40); do python3 -c "import socket; socket.create_connection((\"127.0.0.1\", 6443), timeout=2)" || echo REFUSED; sleep 0.05; done ) &
sleep 0.5; systemctl reload haproxy; echo reload=$?; wait; systemctl is-active haproxy; sleep 1; '"$GET"'; ss -Hltn "sport = :7443"; grep -c Reexecuting /var/log/sandbox-haproxy.log'
check "systemctl reload: the new configuration (cp1 gone, a new listener), 6443 never refused meanwhile" \
  "has '^reload=0\$' && has '^active\$' && ! has REFUSED && [ \$(grep -c '^backend worker01\$' $work/out) = 6 ] && has '127\.0\.92\.3:7443' && has '^1\$'"
onh worker02 'echo "bogus line" >>/etc/haproxy/haproxy.cfg; systemctl reload haproxy; echo reload=$?; systemctl is-active haproxy; '"$GET"
check "a reload with a broken configuration: ExecReload's check fails, the running proxy stays" \
  "has '^Job for haproxy\.service failed because the control process exited with error code\.\$' && has '^reload=1\$' && has '^active\$' && [ \$(grep -c '^backend worker01\$' $work/out) = 6 ]"
onh worker02 'systemctl stop haproxy; echo stop=$?; systemctl is-active haproxy; ss -Hltn "sport = :6443" | grep -c 127.0.92.3; systemctl start haproxy; echo start=$?; systemctl status haproxy'
check "stopped: nothing listens; a start with the broken configuration fails in ExecStartPre" \
  "has '^stop=0\$' && has '^inactive\$' && has '^0\$' && has '^Job for haproxy\.service failed because the control process exited with error code\.\$' && has '^start=1\$' && has '^   Active: failed \(Result: exit-code\)' && has 'ExecStartPre=/usr/sbin/haproxy -f \\\$CONFIG -c -q \\\$OPTIONS \(code=exited, status=1/FAILURE\)' && grep -q 'parsing \[/etc/haproxy/haproxy.cfg:[0-9]*\] : unknown keyword .bogus. in .listen. section' <(on worker02 cat /var/log/sandbox-haproxy.log)"

# ---------------------------------------------------------------- enabled: runs after a reboot
onh worker03 'systemctl enable haproxy 2>&1'
check "systemctl enable haproxy" "[ \$(rc) = 0 ] && has 'Created symlink /etc/systemd/system/multi-user.target.wants/haproxy.service'"
"$fleet" stop-host "$dir" worker03 >/dev/null
"$fleet" start-host "$dir" worker03 >/dev/null
onh worker03 'systemctl is-active haproxy; sleep 2.5; '"$GET"
check "after a reboot the enabled proxy runs again and forwards" \
  "[ \$(rc) = 0 ] && has '^active\$' && has '^backend cp1\$' && has '^backend worker01\$'"

# ---------------------------------------------------------------- the API server stand-in behind it
onh cp1 'pkill -f "^python3 /root/backend"
for r in "kubernetes core" "cri-o addons:/cri-o"; do set -- $r
  printf "[%s]\nname=%s\nbaseurl=https://pkgs.k8s.io/%s:/stable:/v1.33/rpm/\nenabled=1\ngpgcheck=1\ngpgkey=https://pkgs.k8s.io/%s:/stable:/v1.33/rpm/repodata/repomd.xml.key\n" $1 $1 $2 $2 >/etc/yum.repos.d/$1.repo
done
dnf install -y -q kubelet kubeadm kubectl cri-o >/dev/null 2>&1 || exit 9
swapoff -a; modprobe br_netfilter; sysctl -qw net.ipv4.ip_forward=1; systemctl enable -q --now crio kubelet
kubeadm init >/dev/null 2>&1; echo init=$?; ss -Hltn "sport = :6443"'
check "cp1: kubeadm init, its API server stand-in on 127.0.92.1:6443" "has '^init=0\$' && has '127\.0\.92\.1:6443'"
APICFG="${CFG%%    server cp1*}    server cp1 $CP1:6443 check check-ssl verify none"
onh worker02 "cat >/etc/haproxy/haproxy.cfg <<'EOF'
$APICFG
EOF
"': >/var/log/sandbox-haproxy.log; systemctl start haproxy; echo start=$?; sleep 4.5; cat /var/log/sandbox-haproxy.log
python3 -c "
import ssl, urllib.request
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
for u in (\"https://127.0.0.1:6443/healthz\", \"https://127.0.0.1:6443/version\"):
    print(urllib.request.urlopen(u, context=ctx, timeout=5).read().decode().strip())
"'
check "worker02's 127.0.0.1:6443 in front of the API server stand-in: its /healthz passes the checks, /version answers through it" \
  "has '^start=0\$' && ! has 'DOWN' && has '^ok\$' && has '\"gitVersion\": \"v1\.33\.[0-9]+\"'"

# ---------------------------------------------------------------- by hand: daemon mode, -sf
onh worker02 'printf "global\n    daemon\ndefaults\n    mode tcp\n    timeout connect 5s\n    timeout client 1m\n    timeout server 1m\nlisten hand\n    bind 127.0.0.1:7500\n    server w1 '$W1':6443\n" >/root/hand.cfg
haproxy -f /root/hand.cfg -p /root/h1.pid; echo rc=$?; old=$(cat /root/h1.pid)
haproxy -f /root/hand.cfg -p /root/h2.pid -sf $old; echo rc=$?; sleep 1
case $(ps -o stat= -p $old) in ""|Z*) echo old-gone ;; *) echo old-alive ;; esac; new=$(cat /root/h2.pid); [ -d /proc/$new ] && echo new-alive
python3 -c "import socket; socket.create_connection((\"127.0.0.1\", 7500), timeout=2)" && echo connected
timeout 2 haproxy -db -f /root/hand.cfg; echo db=$?; kill $new
printf "listen x\n    bind 127.0.0.1:2492\n" >/root/busy.cfg; haproxy -db -f /root/busy.cfg; echo rc=$?'
check "'daemon' by hand: the command returns once bound; -sf soft-stops the old process; -db stays in front; 127.0.0.1:2492 (the host's own sshd's port): cannot bind, exit 1" \
  "has '^rc=0\$' && [ \$(grep -c '^rc=0\$' $work/out) = 2 ] && has '^old-gone\$' && has '^new-alive\$' && has '^connected\$' && has '^db=124\$' && has \"Starting proxy x: cannot bind socket \\[127\\.0\\.0\\.1:2492\\]\" && has '^rc=1\$'"

# ---------------------------------------------------------------- removal
onh worker03 'dnf remove -y -q haproxy; echo rc=$?; systemctl is-active haproxy; systemctl is-enabled haproxy; ss -Hltn "sport = :6443" | grep -c 127.0.92.4'
check "dnf remove haproxy: %preun disables and stops it, nothing listens" \
  "has '^rc=0\$' && has '^inactive\$' && has 'Failed to get unit file state for haproxy.service: No such file or directory' && has '^0\$'"

finish
