#!/usr/bin/env bash
# command:, argv:, chdir, creates, removes, stdin and environment: with
# hostile values, through `fleetk8s run` on the sandbox fleet: every value
# reaches the host as data (the canary file is never made, the output is
# the literal words); environment names are checked before any connection;
# a command cannot forge a skip; `timeout:` fails a task on its host only;
# the shipped control-plane playbook hands a hostile cni_manifest to kubectl
# as one word. The assertions of hostile.yml are Ansible's semantics: they
# also hold under ansible-playbook 2.14 on a sandbox fleet (its command
# expands $NAME from the environment, splits with shlex, runs no shell).
# Usage: command-test.sh FLEETK8S_BIN SANDBOX_DIR SANDBOX_FLEET_SCRIPT
set -uo pipefail
bin=$(realpath "$1") dir=$(realpath "$2") fleet=$3
src=$(cd "$(dirname "$0")/../.." && pwd)
inv=$dir/inventory.ini
work=$(mktemp -d)
# /tmp is the machine's own on every sandbox host: one canary for all of them.
canary=/tmp/fk-canary.$(basename "$work")
trap 'rm -rf "$work" "$canary"; on cp1 rm -f /usr/bin/kubectl /root/kubectl-args >/dev/null' EXIT
. "$src/tests/integration/lib.sh"
FK_TAIL=60

run() { fk run -i "$inv" "$@"; }
no_canary() { [ ! -e "$canary" ] && ! on cp1 test -e "$canary" && ! on worker03 test -e "$canary"; }
recap_all() {  # recap_all PATTERN: every host's PLAY RECAP line matches
  [ "$(grep -cE "^(cp1|worker0[1-3]) +:.*$1" "$work/out")" = 4 ]
}

# Each value is shell syntax that would touch the canary if any shell read it.
cat >"$work/hostile.yml" <<EOF
- name: Hostile words stay words
  hosts: all
  gather_facts: false
  vars:
    evil: "\$(touch $canary) \`touch $canary\` ; touch $canary | touch $canary && touch $canary\ntouch $canary ' \" * -- \${IFS}"
    evil_word: "\$(touch\${IFS}$canary);\`touch\${IFS}$canary\`|*>$canary"
  tasks:
    - name: free-form shell syntax is plain words
      command: echo hi; touch $canary
      register: r
    - assert: { that: "r.stdout == 'hi; touch $canary'" }

    - name: a templated word
      command: printf [%s] {{ evil_word }}
      register: r
    - assert: { that: "r.stdout == '[' ~ evil_word ~ ']'" }

    - name: a quoted templated value is one word
      command: printf [%s] {{ evil | quote }} -n
      register: r
    - assert: { that: "r.stdout == '[' ~ evil ~ '][-n]'" }

    - name: argv words are exactly those words
      command:
        argv: [printf, "[%s]", "{{ evil }}", "--", "-n", "*"]
      register: r
    - assert: { that: "r.stdout == '[' ~ evil ~ '][--][-n][*]'" }

    - name: stdin is data
      command: cat
      args: { stdin: "{{ evil }}" }
      register: r
    - assert: { that: "r.stdout == evil" }

    - name: environment values are data, to shell and to command alike
      shell: printf '[%s]' "\$EVIL"
      environment: { EVIL: "{{ evil }}" }
      register: r
    - assert: { that: "r.stdout == '[' ~ evil ~ ']'" }
    - name: command expands \$NAME from the environment as Ansible does, as data
      command: printf [%s] \$EVIL
      environment: { EVIL: "{{ evil }}" }
      register: r
    - assert: { that: "r.stdout == '[' ~ evil ~ ']'" }

    - name: a hostile chdir is a directory name that does not exist
      command: pwd
      args: { chdir: "{{ evil }}" }
      register: r
      ignore_errors: true
    - assert: { that: "r.failed and not r.changed and 'Unable to change directory' in r.msg" }

    - name: a hostile creates is a file name that does not exist
      command: echo RAN
      args: { creates: "{{ evil }}" }
      register: r
    - assert: { that: "r.stdout == 'RAN'" }
    - name: a hostile removes is a file name that does not exist
      command: echo RAN
      args: { removes: "{{ evil }}" }
      register: r
    - assert: { that: "r.stdout == 'skipped, since ' ~ evil ~ ' does not exist' and not (r.failed | default(false))" }

    - name: no shell builtin, and no option of exec, as the program
      command:
        argv: ["{{ item }}", "touch $canary"]
      loop: [eval, "--", "-c", exec, "."]
      register: r
      ignore_errors: true
    - assert: { that: "r.results | map(attribute='failed') | list == [true, true, true, true, true]" }
    - name: a leading -- in free-form text too
      command: -- touch $canary
      ignore_errors: true

- name: A command cannot forge a skip
  hosts: all
  gather_facts: false
  tasks:
    - name: exit 101 saying skipped
      command:
        argv: [sh, -c, "echo skipped, since / exists; exit 101"]
      register: forged
      ignore_errors: true
    - assert: { that: "forged.failed and forged.rc == 101 and not (forged.skipped | default(false))" }
    - name: a real skip still is one
      command: touch $canary
      args: { creates: / }
      register: real
    - assert: { that: "not (real.failed | default(false)) and not real.changed and real.stdout == 'skipped, since / exists'" }
EOF
run "$work/hostile.yml"
check "hostile words: every assertion holds on every host" "[ \$(rc) = 0 ] && recap_all 'failed=0 ' && ! has 'Assertion failed'"
check "hostile words: the canary was never made" "no_canary"
check "a forged skip is reported as the failure it is" "has 'exit 101 saying skipped' && [ \$(count '\"rc\": 101') -ge 4 ]"

# Environment names: checked before any host is touched, with file:line.
cat >"$work/bad-env.yml" <<EOF
- name: Bad environment names
  hosts: all
  gather_facts: false
  tasks:
    - name: never runs
      command: touch $canary
    - name: bad name
      command: echo hi
      environment:
        "A;touch $canary;B": x
EOF
run "$work/bad-env.yml"
check "a bad environment name fails the run before any connection, naming file:line" \
  "[ \$(rc) != 0 ] && has 'bad-env.yml:1[01]:.*not a valid environment variable name' && ! has 'TASK \\[never runs\\]' && no_canary"

cat >"$work/bad-env-late.yml" <<EOF
- name: A templated environment with a bad name
  hosts: all
  gather_facts: false
  vars:
    env: { "X=\$(touch $canary)": x, OK: y }
  tasks:
    - name: rendered names are checked too
      command: echo hi
      environment: "{{ env }}"
EOF
run "$work/bad-env-late.yml"
check "a rendered bad environment name fails the task, naming the task" \
  "[ \$(rc) != 0 ] && [ \$(count 'bad-env-late.yml:[0-9]+:[0-9]+: environment: .* is not a valid environment variable name') -ge 4 ] && no_canary"

# timeout: the task fails on its host after N seconds; the others go on.
cat >"$work/timeout.yml" <<'EOF'
- name: Every host times out
  hosts: all
  gather_facts: false
  tasks:
    - name: slow
      command: sleep 30
      timeout: 2
      ignore_errors: true
      register: slow
    - name: the host's shell still works
      command: echo USABLE
      register: usable
    - name: report
      debug: { msg: "{{ usable.stdout }} {{ inventory_hostname }} {{ slow.failed }}" }
- name: One host times out
  hosts: all
  gather_facts: false
  tasks:
    - name: slow on worker01
      command: sleep 30
      timeout: 2
      when: inventory_hostname == 'worker01'
- name: Next play
  hosts: all
  gather_facts: false
  tasks:
    - name: next
      debug: { msg: "NEXT {{ inventory_hostname }}" }
EOF
start=$SECONDS
run "$work/timeout.yml"
took=$((SECONDS - start))
check "timeout: fails the task after 2 s on every host (run took ${took}s)" \
  "[ $took -lt 20 ] && [ \$(count 'expected time frame .2. and was terminated') = 5 ] && [ \$(count 'USABLE [a-z0-9]+ True') = 4 ]"
check "timeout: the timed-out host is out, the next play runs on the others" \
  "[ \$(count '\"NEXT ') = 3 ] && ! has '\"NEXT worker01\"' && [ \$(rc) != 0 ]"

# The shipped control plane playbook: a hostile cni_manifest URL reaches
# kubectl as one word (a recording stand-in), never a shell.
on cp1 sh -c 'printf "%s\n" "#!/bin/sh" "printf \"%s\\n\" \"\$@\" >/root/kubectl-args" "echo created" \
  >/usr/bin/kubectl && chmod 755 /usr/bin/kubectl' >/dev/null
url="https://x/a.yaml;touch $canary|sh \$(touch $canary)"
run "$src/playbooks/control-plane.yml" --limit cp1 --start-at-task 'Pod network' \
  -e "@$src/playbooks/vars/defaults.yml" -e "{\"cni_manifest\": \"$url\"}"
check "a hostile cni_manifest reaches kubectl as one word" \
  "[ \"\$(on cp1 cat /root/kubectl-args)\" = \"\$(printf '%s\n' --kubeconfig /etc/kubernetes/admin.conf apply -f \"\$url\")\" ]"
check "a hostile cni_manifest runs nothing" "no_canary"

finish
