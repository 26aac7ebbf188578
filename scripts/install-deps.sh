#!/usr/bin/env bash
# Installs everything fleetk8s needs to build, test, run and benchmark on Debian 12.
# Idempotent: packages already present are left alone; apt-get runs only when one is missing.
#
#   scripts/install-deps.sh          everything (build, tests, sanitizers, fuzzing, Ansible comparisons)
#   scripts/install-deps.sh --demo   only what building fleetk8s and running the sandbox fleet need
#                                    (scripts/demo.sh: a first run in half the download)
# When the machine's libssh2 is older than 1.11, scripts/fetch-libssh2.sh fetches and
# builds 1.11 into .deps/ once (cmake/Libssh2.cmake links it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  build-essential cmake pkg-config git
  libssh2-1-dev libssl-dev zlib1g-dev dpkg-dev   # dpkg-dev: dpkg-source for scripts/fetch-libssh2.sh
  libboost-dev libyaml-cpp-dev libspdlog-dev libfmt-dev libcli11-dev
  openssh-server openssh-client sudo util-linux iproute2 procps python3 openssl
  python3-yaml   # the sandbox's Kubernetes stand-ins read manifests
)
if [ "${1:-}" != "--demo" ]; then
  packages+=(
    catch2
    pssh ansible-core
    clang libclang-rt-14-dev      # scripts/test-sanitized.sh and scripts/fuzz.sh: ASan, UBSan, libFuzzer
    curl                          # the watch tests scrape its metrics (HTTP and HTTPS)
    zsh                           # tests/package checks the zsh completion (dpkg-dev above: dpkg-shlibdeps for cpack's .deb)
  )
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # The Debian package enables and may start the machine's own sshd; fleetk8s never needs it.
  echo "install-deps: done"
fi

# libssh2 1.10 cannot use RSA keys with OpenSSH 8.8 and later (cmake/Libssh2.cmake).
if ! pkg-config --atleast-version=1.11 libssh2; then
  "$root/scripts/fetch-libssh2.sh" >/dev/null
fi
