#!/usr/bin/env bash
# `fleetk8s certs` on its own 1+1 fleet (net 87): every control plane's
# certificates read with kubeadm certs check-expiration, against
# cert_renew_days: none due (exit 0), one due (exit 2, named with node and
# date), a bad cert_renew_days (exit 1), one expired (exit 3). The sandbox's
# certificates are real x509; /etc/sandbox/cert-validity makes the next ones
# kubeadm signs short-lived.
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
check "a certificate expiring within cert_renew_days (30): exit 2, named with the node and date" "[ \$(rc) = 2 ] && has '^  apiserver .* due: within cert_renew_days \(30\)$' && has 'due \(within 30 days\): cp1 apiserver \([A-Z][a-z]{2} [0-9]{2}, [0-9]{4} [0-9:]{5} UTC, (9|10) days\)' && has 'kubeadm certs renew all'"
fk certs "$inv" -e cert_renew_days=5
check "cert_renew_days=5: the same certificate is not due (exit 0)" "[ \$(rc) = 0 ]"
fk certs "$inv" -e cert_renew_days=0
check "cert_renew_days=0 is bad input (exit 1)" "[ \$(rc) = 1 ] && has 'cert_renew_days is \"0\": expected a number of days from 1 to 3650'"

on cp1 sh -c 'echo 2s >/etc/sandbox/cert-validity && kubeadm certs renew front-proxy-client && sleep 3' >/dev/null
fk certs "$inv"
check "an expired certificate: exit 3, EXPIRED, named" "[ \$(rc) = 3 ] && has '^  front-proxy-client .* EXPIRED$' && has 'EXPIRED or missing: cp1 front-proxy-client \(expired '"

finish
