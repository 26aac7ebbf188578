#!/usr/bin/env bash
# The sandbox stand-ins for certificate expiry and renewal, on their own 1+1 fleet (net 88,
# port 2488): a cluster brought up by fleetk8s at 1.33, then `kubeadm certs check-expiration`
# (kubeadm's two tables), short-lived certificates through the host's
# /etc/sandbox/cert-validity, an expired API server certificate breaking kubectl with Go's
# x509 error, `kubeadm certs renew` taking effect only once the static pods restart
# (`crictl stop`), and `kubeadm upgrade apply` renewing (not with --certificate-renewal=false).
# Usage: sandbox-certs-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
# The single-quoted scripts run on the hosts, expanded there.
# shellcheck disable=SC2016
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

# oncp SCRIPT: runs SCRIPT with bash as root on cp1, stdout and stderr merged into $work/out.
oncp() { on cp1 bash -c "exec 2>&1; export KUBECONFIG=/etc/kubernetes/admin.conf
$1" >"$work/out"; echo $? >"$work/rc"; }
# serial NAME: the serial of /etc/kubernetes/pki/NAME.crt; loaded COMP LABEL: the one COMP's container loaded
SERIALS='serial() { openssl x509 -noout -serial -in /etc/kubernetes/pki/$1.crt; }
loaded() { sed -n "s/^$2 \(serial=[0-9A-F]*\) .*/\1/p" /run/sandbox/static-pods/$1.certs; }
'
# restart the control plane's static pods as kubespray does: stop their containers, the kubelet starts them again
RESTART='for c in kube-apiserver kube-controller-manager kube-scheduler etcd; do crictl stop "$(crictl ps --name "^$c\$" -q)" >/dev/null; done
'

"$fleet" up --net 88 --port 2488 2 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$dir/inventory.ini
fk up "$inv"
check "fleetk8s up: a 1.33 cluster" "[ \$(rc) = 0 ]"

# ---------------------------------------------------------------- check-expiration
oncp 'kubeadm certs check-expiration'
check "check-expiration: the kubeadm-config header, 11 certificates at 364d, 3 CAs at 9y, kubeadm's columns" \
  "[ \$(rc) = 0 ] && has '^\[check-expiration\] Reading configuration from the \"kubeadm-config\" ConfigMap in namespace \"kube-system\"\.\.\.\$' \
   && has '^CERTIFICATE                EXPIRES                  RESIDUAL TIME   CERTIFICATE AUTHORITY   EXTERNALLY MANAGED\$' \
   && has '^apiserver                  [A-Z][a-z]{2} [0-9]{2}, [0-9]{4} [0-9]{2}:[0-9]{2} UTC   364d            ca                      no      \$' \
   && has '^apiserver-etcd-client      .*   364d            etcd-ca                 no      \$' \
   && has '^front-proxy-client         .*   364d            front-proxy-ca          no      \$' \
   && [ \$(count '   364d   ') = 11 ] && has '^super-admin\.conf ' \
   && has '^CERTIFICATE AUTHORITY   EXPIRES                  RESIDUAL TIME   EXTERNALLY MANAGED\$' \
   && has '^etcd-ca                 .* UTC   9y              no      \$' && [ \$(count '   9y   ') = 3 ]"
oncp 'kubeadm certs check-expiration -o json | python3 -c "
import json, sys; d = json.load(sys.stdin); c = {x[\"name\"]: x for x in d[\"certificates\"]}; a = c[\"apiserver-etcd-client\"]
print(d[\"kind\"], d[\"apiVersion\"], len(c), len(d[\"certificateAuthorities\"]), a[\"caName\"], a[\"missing\"], a[\"externallyManaged\"])
print(31449600 < a[\"residualTime\"] <= 31536000, a[\"expirationDate\"], \"caName\" in d[\"certificateAuthorities\"][0])"; kubeadm certs check-expiration -o yaml | head -3'
check "check-expiration -o json|yaml: output.kubeadm.k8s.io/v1alpha3 CertificateExpirationInfo, no header lines" \
  "[ \$(rc) = 0 ] && has '^CertificateExpirationInfo output.kubeadm.k8s.io/v1alpha3 11 3 etcd-ca False False\$' && has '^True [0-9-]{10}T[0-9:]{8}Z False\$' && has '^apiVersion: output.kubeadm.k8s.io/v1alpha3\$' && has '^certificateAuthorities:\$' && has '^- expirationDate: \"[0-9-]{10}T[0-9:]{8}Z\"\$'"
oncp 'openssl x509 -noout -enddate -in /etc/kubernetes/pki/apiserver.crt; date -u -d "+365 days" "+%b %e %Y"'
check "the certificates are real x509: openssl reads NotAfter one year ahead" \
  "[ \$(rc) = 0 ] && d=\$(sed -n 2p $work/out) && grep -q \"^notAfter=\${d% *} [0-9:]* \${d##* } GMT\$\" $work/out"
on worker01 kubeadm certs check-expiration >"$work/out" 2>&1; echo $? >"$work/rc"
check "check-expiration on a worker: no admin.conf (no header), its certificates !MISSING!, the CA without its key" \
  "[ \$(rc) = 0 ] && ! has 'check-expiration\]' && has '^!MISSING! apiserver {10,}\$' && has '^ca                      .*   9y              yes     \$' && has '^!MISSING! etcd-ca'"

# ---------------------------------------------------------------- renew one, no restart
oncp "$SERIALS"'before=$(serial apiserver); kubeadm certs renew apiserver; after=$(serial apiserver)
[ "$before" != "$after" ] && [ "$(loaded kube-apiserver apiserver)" = "$before" ] && echo "running: old"'
check "renew apiserver: kubeadm's message; a new certificate on disk, the running API server keeps the old one" \
  "[ \$(rc) = 0 ] && has '^\[renew\] Reading configuration from the \"kubeadm-config\"' && has '^certificate for serving the Kubernetes API renewed\$' && has '^running: old\$' && ! has 'Done renewing'"
oncp 'kubeadm certs renew nosuch'
check "renew an unknown certificate: cobra's unknown command" "[ \$(rc) = 1 ] && has 'unknown command \"nosuch\" for \"kubeadm certs renew\"'"

# ---------------------------------------------------------------- short-lived certificates
oncp "echo 20s >/etc/sandbox/cert-validity; kubeadm certs renew all; cp /etc/kubernetes/admin.conf /root/admin-20s.conf; $RESTART"'kubeadm certs check-expiration; openssl x509 -noout -enddate -in /etc/kubernetes/pki/apiserver.crt'
check "cert-validity 20s: renew all (kubeadm's lines, admin and kubeconfigs too), check-expiration in seconds" \
  "[ \$(rc) = 0 ] && has '^certificate embedded in the kubeconfig file for the admin to use and for kubeadm itself renewed\$' \
   && has '^certificate embedded in the kubeconfig file for the scheduler manager to use renewed\$' && has '^certificate for serving etcd renewed\$' \
   && has '^Done renewing certificates\. You must restart the kube-apiserver, kube-controller-manager, kube-scheduler and etcd, so that they can use the new certificates\.\$' \
   && has '^apiserver                  .*   [0-9]{1,2}s   ' && has '^admin\.conf                 .*   [0-9]{1,2}s   ' && has '^ca                      .*   9y   '"
sleep 22
oncp 'kubectl get nodes'
check "an expired API server certificate: kubectl fails with Go's x509 error" \
  "[ \$(rc) = 1 ] && has '^Unable to connect to the server: tls: failed to verify certificate: x509: certificate has expired or is not yet valid: current time [0-9-]{10}T[0-9:]{8}Z is after [0-9-]{10}T[0-9:]{8}Z\$'"
oncp 'kubeadm certs check-expiration'
check "check-expiration: <invalid> residual times; the cluster's config unreadable: the default configuration" \
  "[ \$(rc) = 0 ] && has '^\[check-expiration\] Error reading configuration from the Cluster\. Falling back to default configuration\$' && has '^apiserver                  .*   <invalid>       ca   ' && [ \$(count '<invalid>') = 11 ]"

# ---------------------------------------------------------------- renew, then restart
oncp 'rm /etc/sandbox/cert-validity; kubeadm certs renew all >/dev/null; kubectl get nodes'
check "renew all without a restart: the API server still serves the expired certificate" \
  "[ \$(rc) = 1 ] && has 'x509: certificate has expired or is not yet valid'"
oncp "$SERIALS$RESTART"'kubectl get nodes && [ "$(loaded kube-apiserver apiserver)" = "$(serial apiserver)" ] && [ "$(loaded etcd etcd-server)" = "$(serial etcd/server)" ] && crictl ps --name "^kube-apiserver$"'
check "after crictl stop of the static pods' containers (new attempts): kubectl works, the new certificates loaded" \
  "[ \$(rc) = 0 ] && has '^cp1 +Ready' && has ' kube-apiserver +[0-9]+ '"
# The API server stops as the real one does (Go's http.Server.Shutdown): the listener closes, so
# new connections are refused meanwhile (a load balancer tries another server); a request in
# flight is answered; a connection that has not sent its first request yet (StateNew, under 5 s)
# is kept for it; an idle keep-alive connection is closed.
oncp 'python3 - <<"PY"
import re, socket, ssl, subprocess, time
host, port = re.search(r"server: https://([0-9.]+):([0-9]+)", open("/etc/kubernetes/admin.conf").read()).groups()
ctx = ssl.create_default_context(cafile="/etc/kubernetes/pki/ca.crt")
ctx.load_cert_chain("/etc/kubernetes/pki/apiserver-kubelet-client.crt", "/etc/kubernetes/pki/apiserver-kubelet-client.key")
def connect():
    return ctx.wrap_socket(socket.create_connection((host, int(port)), timeout=20), server_hostname=host)
GET = b"GET /api/v1/nodes/cp1 HTTP/1.1\r\nHost: x\r\n\r\n"
def status(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        more = sock.recv(4096)
        if not more:
            return "closed"
        data += more
    head, rest = data.split(b"\r\n\r\n", 1)
    length = int(re.search(rb"(?i)content-length: *([0-9]+)", head).group(1))
    while len(rest) < length:
        rest += sock.recv(4096)
    return head.split(b"\r\n")[0].decode()
s = connect()
body = b"{\"node\": \"cp1\", \"unschedulable\": false, \"dryRun\": true}"
s.sendall(b"POST /sandbox/cordon HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
          b"Content-Length: %d\r\n\r\n" % len(body) + body[:5])
fresh = connect()  # TLS done, no request yet
idle = connect()
idle.sendall(GET)
print("idle before:", status(idle))
time.sleep(0.3)
old = subprocess.run(["crictl", "ps", "--name", "^kube-apiserver$", "-q"], capture_output=True, text=True).stdout.strip()
stop = subprocess.Popen(["crictl", "stop", old], stdout=subprocess.DEVNULL)
time.sleep(1.5)
try:
    socket.create_connection((host, int(port)), timeout=2).close()
    print("new connection: accepted")
except ConnectionRefusedError:
    print("new connection: refused")
print("crictl stop still waiting:", stop.poll() is None)
s.sendall(body[5:])
print("answer:", s.recv(100).split(b"\r\n")[0].decode())
fresh.sendall(GET)
print("fresh connection:", status(fresh))
try:
    idle.sendall(GET)
    print("idle connection:", status(idle))
except OSError:
    print("idle connection: closed")
print("crictl stop:", stop.wait(timeout=40))
new = subprocess.run(["crictl", "ps", "--name", "^kube-apiserver$", "-q"], capture_output=True, text=True).stdout.strip()
print("new container:", new != old and new != "")
PY
kubectl get nodes cp1 --no-headers'
check "the API server's container stopped during a request: the request answered, new connections refused meanwhile, a fresh connection's first request answered, an idle one closed, then a new container serves" \
  "[ \$(rc) = 0 ] && has '^idle before: HTTP/1\.1 200 ' && has '^fresh connection: HTTP/1\.1 200 ' && has '^idle connection: closed\$' && has '^new connection: refused\$' && has '^crictl stop still waiting: True\$' && has '^answer: HTTP/1\.1 [0-9]{3} ' && has '^crictl stop: 0\$' && has '^new container: True\$' && has '^cp1 +Ready'"
# Connections that reach the port while the API server stops are refused (the listener closed)
# or served (accepted before), never reset: its accept loop takes each one off the listen queue at
# once, as Go's does. The kubectl loop below saw resets with socketserver's polling accept loop.
oncp 'end=$((SECONDS+14))
while [ $SECONDS -lt $end ]; do
  if e=$(kubectl get node cp1 -o name 2>&1 >/dev/null); then echo ok; else echo "fail $e"; fi
done >/root/restart-probe &
for i in 1 2 3 4 5 6; do sleep 1.5; crictl stop "$(crictl ps --name "^kube-apiserver$" -q)" >/dev/null; done
wait
echo "polls: $(wc -l </root/restart-probe), answered: $(grep -c "^ok" /root/restart-probe)"
grep "^fail" /root/restart-probe | grep -v " was refused - did you specify the right host or port?\$" || echo "no other failure"'
check "kubectl in a loop while the API server's container is stopped 6 times: each call answered or refused, none reset" \
  "[ \$(rc) = 0 ] && has '^polls: [0-9]+, answered: [1-9][0-9]+\$' && has '^no other failure\$'"
# The same, made certain: 150 connections completed by the kernel at once, then SIGTERM (as the
# kubelet stops the container) before the API server could take them off its listen queue. Go
# takes each at once, so none is left in the queue to be reset when the listener closes: every
# one's first request is answered (the stand-in's accept loop is slower than Go's, so it stops new
# handshakes and empties the queue before it closes the listener).
oncp 'python3 - <<"PY"
import collections, os, re, signal, socket, ssl, subprocess
host, port = re.search(r"server: https://([0-9.]+):([0-9]+)", open("/etc/kubernetes/admin.conf").read()).groups()
ctx = ssl.create_default_context(cafile="/etc/kubernetes/pki/ca.crt")
ctx.load_cert_chain("/etc/kubernetes/pki/apiserver-kubelet-client.crt", "/etc/kubernetes/pki/apiserver-kubelet-client.key")
old = subprocess.run(["crictl", "ps", "--name", "^kube-apiserver$", "-q"], capture_output=True, text=True).stdout.strip()
pid = int(open("/run/sandbox/kube-apiserver.pid").read())
socks = [socket.create_connection((host, int(port)), timeout=20) for _ in range(150)]
os.kill(pid, signal.SIGTERM)
seen = collections.Counter()
for raw in socks:
    try:
        s = ctx.wrap_socket(raw, server_hostname=host)
        s.sendall(b"GET /api/v1/nodes/cp1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        seen[(s.recv(100).split(b"\r\n")[0].decode() or "closed")[:15]] += 1
    except (OSError, ssl.SSLError) as e:
        seen[type(e).__name__] += 1
print("answers:", dict(seen))
subprocess.run(["crictl", "stop", old], stdout=subprocess.DEVNULL)
PY
kubectl get nodes cp1 --no-headers'
check "150 connections waiting in the listen queue when the API server is told to stop: each answered, none reset" \
  "[ \$(rc) = 0 ] && has \"^answers: \\{'HTTP/1\\.1 200 OK': 150\\}\$\" && has '^cp1 +Ready'"
# kubectl as client-go: a GET whose connection is reset under it (an API server or load balancer
# going away) is sent again after 1 s, up to 10 times (a write is not: not idempotent). A proxy on
# another port of the API server's address resets the first two connections it gets (SO_LINGER 0)
# and forwards the next.
oncp 'ip=$(sed -n "s#.*server: https://\([0-9.]*\):.*#\1#p" /etc/kubernetes/admin.conf)
python3 - "$ip" <<"PY" &
import socket, struct, sys, threading
ip = sys.argv[1]
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); ls.bind((ip, 16443)); ls.listen(16)
def pipe(a, b):
    try:
        while True:
            d = a.recv(65536)
            if not d:
                break
            b.sendall(d)
    except OSError:
        pass
    for x in (a, b):
        try: x.shutdown(socket.SHUT_RDWR)
        except OSError: pass
for n in range(20):
    c, _ = ls.accept()
    if n < 2:
        c.recv(100); c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0)); c.close(); continue
    u = socket.create_connection((ip, 6443))
    threading.Thread(target=pipe, args=(c, u), daemon=True).start(); threading.Thread(target=pipe, args=(u, c), daemon=True).start()
PY
sleep 0.5; s=$(date +%s.%N)
kubectl -s "https://$ip:16443" get node cp1 -o name; echo "get: $? after $(awk -v a="$s" -v b="$(date +%s.%N)" "BEGIN { printf \"%d\", b - a }") s"
kill %1 2>/dev/null; true'
check "kubectl get through two connection resets: sent again 1 s after each, answered" \
  "[ \$(rc) = 0 ] && has '^node/cp1\$' && has '^get: 0 after 2 s\$'"
oncp 'kubectl --kubeconfig /root/admin-20s.conf get nodes'
check "a copy of the 20-second admin.conf (its client certificate expired): the API server's Unauthorized" \
  "[ \$(rc) = 1 ] && has '^error: You must be logged in to the server \(Unauthorized\)\$'"

# ---------------------------------------------------------------- the kubelet's client certificate
# a worker joined again while the control plane signs for 30 seconds; its kubelet, restarted in the
# last 20% of that, rotates the certificate (the control plane back at a year by then);
# then the upgrade
on worker01 bash -c 'exec 2>&1; readlink /var/lib/kubelet/pki/kubelet-client-current.pem' >"$work/out"; echo $? >"$work/rc"
check "the kubelet's client certificate: kubelet-client-current.pem a symlink to a dated file" \
  "[ \$(rc) = 0 ] && has '^/var/lib/kubelet/pki/kubelet-client-[0-9]{4}(-[0-9]{2}){5}\.pem\$'"
join=$(on cp1 bash -c 'echo 30s >/etc/sandbox/cert-validity; kubectl --kubeconfig /etc/kubernetes/admin.conf delete node worker01 >/dev/null; kubeadm token create --print-join-command')
on worker01 bash -c "exec 2>&1; kubeadm reset -f >/dev/null; $join >/dev/null"' || exit 9
p=/var/lib/kubelet/pki/kubelet-client-current.pem; first=$(readlink $p)
t() { date -d "$(openssl x509 -noout -$1 -in $p | cut -d= -f2)" +%s; }
nb=$(t startdate) na=$(t enddate); echo "lifetime $((na - nb))"
sleep $((nb + (na - nb) * 85 / 100 - $(date +%s)))' >"$work/out"; echo $? >"$work/rc"
check "joined while the signer's cert-validity is 30s: a 30-second kubelet certificate" "[ \$(rc) = 0 ] && has '^lifetime 30\$'"
on cp1 rm -f /etc/sandbox/cert-validity
on worker01 bash -c 'exec 2>&1; p=/var/lib/kubelet/pki/kubelet-client-current.pem; first=$(readlink $p); systemctl restart kubelet
[ "$(readlink $p)" != "$first" ] && echo "rotated: $(ls /var/lib/kubelet/pki/kubelet-client-2*.pem | wc -l) files"
openssl x509 -noout -subject -enddate -in $p; date -u -d "+365 days" "+%b %e %Y"' >"$work/out"; echo $? >"$work/rc"
check "kubelet restarted in its certificate's last 20%: rotated (a new dated file, the symlink switched), for a year" \
  "[ \$(rc) = 0 ] && has '^rotated: [0-9]+ files\$' && has '^subject=O = system:nodes, CN = system:node:worker01\$' && d=\$(tail -1 $work/out) && has \"^notAfter=\${d% *} [0-9:]* \${d##* } GMT\$\""
oncp 'kubectl get node worker01'
check "the node posts its status with the rotated certificate: Ready" "[ \$(rc) = 0 ] && has '^worker01 +Ready'"

# ---------------------------------------------------------------- kubeadm upgrade apply
REPO='sed -i "s#/v1\.3[0-9]/#/v1.34/#g" /etc/yum.repos.d/kubernetes.repo /etc/yum.repos.d/cri-o.repo
dnf install -y -q --disableexcludes=kubernetes kubeadm-1.34.1 >/dev/null 2>&1 || exit 9
echo 30 >/etc/sandbox/cert-validity
'
oncp "$REPO"'kubeadm upgrade apply v1.34.1 -y --certificate-renewal=false | grep SUCCESS; kubeadm certs check-expiration | grep -E "^(apiserver|admin.conf) "'
check "upgrade apply --certificate-renewal=false: the certificates keep their year" \
  "[ \$(rc) = 0 ] && has 'upgraded to \"v1.34.1\"' && has '^apiserver .*   364d   ' && has '^admin\.conf .*   364d   '"
oncp "$SERIALS"'kubeadm upgrade apply v1.34.1 -y | grep -c "Renewing"; kubeadm certs check-expiration | grep -E "^(apiserver|admin.conf|etcd-server|scheduler.conf) "; kubectl get nodes'
check "upgrade apply (re-run, cert-validity 30 days): the components' certificates and admin.conf renewed" \
  "[ \$(rc) = 0 ] && has '^apiserver .*   29d   ' && has '^admin\.conf .*   29d   ' && has '^scheduler\.conf .*   29d   ' && has '^cp1 +Ready'"

finish
