#!/usr/bin/env bash
# Certificates on its own 1+1 fleet (net 87). `fleetk8s certs`: every control
# plane's certificates read with kubeadm certs check-expiration, against
# cert_renew_days: none due (exit 0), one due (exit 2, named with node and
# date), a bad cert_renew_days (exit 1). `check`: a due one is drift (exit 2),
# an expired one a problem (exit 3). `certs --renew`: renewed, the static pods
# restarted in order (the running API server serves the new certificate),
# root's kubeconfig and the local one follow; again: nothing due, nothing
# restarted; --force renews anyway. `up` renews an expired one and says so.
# A kubelet client certificate the kubelet did not rotate is drift in check.
# The sandbox's certificates are real x509; /etc/sandbox/cert-validity makes
# the next ones kubeadm signs short-lived.
# Usage: certs-test.sh FLEETK8S_BIN SANDBOX_FLEET_SCRIPT
set -uo pipefail
. "$(dirname "$0")/lib.sh"
own_fleet "$1" "$2"  # bin, fleet, work, dir: the fleet taken down and work removed at exit

"$fleet" up --net 87 --port 2487 2 "$dir" >/dev/null || { echo "cannot start the fleet"; exit 1; }
inv=$dir/inventory.ini
fk up "$inv"
check "the cluster is up" "[ \$(rc) = 0 ]"

fk certs "$inv"
check "fresh certificates: exit 0, each listed with its date and days left, the CAs too" "[ \$(rc) = 0 ] && has '^  apiserver +[A-Z][a-z]{2} [0-9]{2}, [0-9]{4} [0-9]{2}:[0-9]{2} UTC +36[45]d$' && has '^  ca +CA +[A-Z][a-z]{2} [0-9]{2}, [0-9]{4} ' && has '^certificates: [0-9]+ ok$' && ! has 'worker01'"

on cp1 sh -c 'echo 10 >/etc/sandbox/cert-validity && kubeadm certs renew apiserver' >/dev/null
fk certs "$inv"
check "a certificate expiring within cert_renew_days (30): exit 2, named with the node and date" "[ \$(rc) = 2 ] && has '^  apiserver .* due: within cert_renew_days \(30\)$' && has 'due \(within 30 days\): cp1 apiserver \([A-Z][a-z]{2} [0-9]{2}, [0-9]{4} [0-9:]{5} UTC, (9|10) days\)' && has 'fleetk8s certs INVENTORY --renew'"
fk certs "$inv" -e cert_renew_days=5
check "cert_renew_days=5: the same certificate is not due (exit 0)" "[ \$(rc) = 0 ]"
fk certs "$inv" -e cert_renew_days=0
check "cert_renew_days=0 is bad input (exit 1)" "[ \$(rc) = 1 ] && has 'cert_renew_days is \"0\": expected a number of days from 1 to 3650'"

fk check "$inv"
check "check: the certificate due is drift (exit 2), named with the node, date and what fixes it" "[ \$(rc) = 2 ] && has '^  cp1: certificate apiserver \([A-Z][a-z]{2} [0-9]{2}, [0-9]{4} [0-9:]{5} UTC, (9|10) days\) within cert_renew_days \(30\): up renews it$'"

fk certs "$inv" --force
check "--force without --renew is bad input (exit 1)" "[ \$(rc) = 1 ] && has -- '--force: expected together with --renew'"

# restarts: each static pod's restart count and the API server's loaded certificate
restarts() { on cp1 sh -c 'cd /run/sandbox/static-pods && for c in etcd kube-apiserver kube-controller-manager kube-scheduler; do printf "%s=%s " "$c" "$(cat "$c.restarts" 2>/dev/null || echo 0)"; done'; }
before=$(restarts)
on cp1 rm -f /etc/sandbox/cert-validity
on cp1 sh -c 'kubectl get nodes >/dev/null' || true
fk certs "$inv" --renew
after=$(restarts)
check "certs --renew: the control plane renewed (exit 0), its static pods restarted in order, each waited for" "[ \$(rc) = 0 ] && has '^cp1: renewing its certificates \(due within 30 days: apiserver ' && has '^cp1: certificates renewed; restarted etcd, restarted kube-apiserver, restarted kube-controller-manager, restarted kube-scheduler' && has '^certificates: [0-9]+ ok$' && [ \"\$before\" != \"\$after\" ]"
check "the running API server serves the renewed certificate (about a year)" "on cp1 sh -c 'grep -q \"notAfter=.* \$(( \$(date +%Y) + 1 )) GMT\" /run/sandbox/static-pods/kube-apiserver.certs'"
check "root's ~/.kube/config follows admin.conf, 0600; the local kubeconfig too" "on cp1 sh -c 'cmp -s /etc/kubernetes/admin.conf /root/.kube/config && [ \$(stat -c %a /root/.kube/config) = 600 ]' && has '^kubeconfig (written|.* is up to date)' && [ \"\$(stat -c %a \"\$work/kubernetes.kubeconfig\")\" = 600 ]"

fk certs "$inv" --renew
check "certs --renew again: nothing due, nothing restarted (exit 0)" "[ \$(rc) = 0 ] && has '^certificates: none due within 30 days' && ! has 'renewing' && [ \"\$(restarts)\" = \"\$after\" ]"
fk certs "$inv" --renew --force
check "certs --renew --force: renewed although none is due" "[ \$(rc) = 0 ] && has '^cp1: renewing its certificates \(--force; none due\)' && [ \"\$(restarts)\" != \"\$after\" ]"

on cp1 sh -c 'echo 2s >/etc/sandbox/cert-validity && kubeadm certs renew front-proxy-client && sleep 3' >/dev/null
fk certs "$inv"
check "an expired certificate: exit 3, EXPIRED, named" "[ \$(rc) = 3 ] && has '^  front-proxy-client .* EXPIRED$' && has 'EXPIRED or missing: cp1 front-proxy-client \(expired '"
fk check "$inv"
check "check: an expired certificate is a problem (exit 3), named" "[ \$(rc) = 3 ] && has '^fleetk8s check: cp1: certificate front-proxy-client \(expired .*\): up renews it$'"
on cp1 rm -f /etc/sandbox/cert-validity
fk up "$inv"
check "up renews it and says so (exit 0)" "[ \$(rc) = 0 ] && has '^cp1: renewing its certificates \(due within 30 days: front-proxy-client \(expired ' && has '^cp1: certificates renewed; '"
fk check "$inv"
check "check afterwards: converged (exit 0)" "[ \$(rc) = 0 ] && has 'converged: nothing would change'"

# worker01's kubelet given a client certificate of 10 days (signed by the cluster CA) that it
# has not rotated: the rotation failed, check says so (drift: up cannot fix it)
on cp1 sh -c 'd=$(mktemp -d) && cd "$d" && openssl req -new -newkey rsa:2048 -nodes -keyout k.pem -subj "/O=system:nodes/CN=system:node:worker01" -out r.csr 2>/dev/null && openssl x509 -req -in r.csr -CA /etc/kubernetes/pki/ca.crt -CAkey /etc/kubernetes/pki/ca.key -CAcreateserial -days 10 -out c.pem 2>/dev/null && cat c.pem k.pem && rm -rf "$d"' >"$work/kc.pem"
on worker01 sh -c 'umask 077 && cat >/var/lib/kubelet/pki/kubelet-client-short.pem && ln -sfn /var/lib/kubelet/pki/kubelet-client-short.pem /var/lib/kubelet/pki/kubelet-client-current.pem' <"$work/kc.pem"
fk check "$inv"
check "check: a kubelet client certificate within cert_renew_days is drift (exit 2), named with the node and date" "[ \$(rc) = 2 ] && has '^  worker01: the kubelet.s client certificate \(/var/lib/kubelet/pki/kubelet-client-current.pem\) expires [A-Z][a-z]{2} [0-9]{2}, [0-9]{4} [0-9:]{5} UTC \((9|10) days, within cert_renew_days 30\): the kubelet should have rotated it' && ! has '^  cp1: the kubelet'"

finish
