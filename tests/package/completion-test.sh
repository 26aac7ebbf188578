#!/usr/bin/env bash
# `fleetk8s completion bash|zsh` as a user loads it: the bash script, sourced
# in a clean bash, registers _fleetk8s and completes subcommands, nested
# subcommands, each command's options, an option's choices (also after
# --option=), files for the inventory, nothing for numbers; the zsh script
# parses (zsh -n) and registers itself with compdef after compinit (skipped,
# said so, where zsh is not installed). Completions name only what the
# command line accepts: every option offered for `up` is one `up --help` lists.
# Usage: completion-test.sh FLEETK8S_BIN
set -uo pipefail
bin=$(realpath "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
. "$(dirname "$0")/../integration/lib.sh"

"$bin" completion bash >"$work/fleetk8s.bash"; echo $? >"$work/rc"
check "completion bash: exit 0, a script" "[ \$(rc) = 0 ] && bash -n '$work/fleetk8s.bash'"
mkdir "$work/cwd" && touch "$work/cwd/prod.ini" "$work/cwd/stage.yml"

# complete WORDS...: what bash completes for the command line WORDS (the
# last word is the one under the cursor), one per line, sorted.
complete_words() {
  (cd "$work/cwd" && bash --norc --noprofile -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _fleetk8s fleetk8s "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    [ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}"' bash "$work/fleetk8s.bash" "$@" | sort | tr '\n' ' ')
}
registered=$(bash --norc --noprofile -c 'source "$1"; complete -p fleetk8s' bash "$work/fleetk8s.bash" 2>&1)
check "sourced, it registers _fleetk8s for fleetk8s" "[ \"\$registered\" = 'complete -F _fleetk8s fleetk8s' ]"
check "fleetk8s u<TAB>: up upgrade" "[ \"\$(complete_words fleetk8s u)\" = 'up upgrade ' ]"
check "fleetk8s upg<TAB>: upgrade" "[ \"\$(complete_words fleetk8s upg)\" = 'upgrade ' ]"
check "fleetk8s <TAB>: every subcommand, the hidden man page not" \
  "[ \"\$(complete_words fleetk8s '')\" = 'backup certs check completion exec inventory kubeconfig remove reset restore run schedule up upgrade watch ' ]"
check "fleetk8s inventory <TAB>: its subcommands" "[ \"\$(complete_words fleetk8s inventory '')\" = 'from-ssh-config list ' ]"
check "fleetk8s schedule -v i<TAB>: install (an option before it)" "[ \"\$(complete_words fleetk8s schedule -v i)\" = 'install ' ]"
check "fleetk8s up --sk<TAB>: --skip-preflight" "[ \"\$(complete_words fleetk8s up --sk)\" = '--skip-preflight ' ]"
check "fleetk8s check --sk<TAB>: nothing (up's option only)" "[ -z \"\$(complete_words fleetk8s check --sk)\" ]"
check "fleetk8s up <TAB>: inventory files" "[ \"\$(complete_words fleetk8s up '')\" = 'prod.ini stage.yml ' ]"
check "fleetk8s up -i p<TAB>: the file" "[ \"\$(complete_words fleetk8s up -i p)\" = 'prod.ini ' ]"
check "fleetk8s up --host-key-checking <TAB>: its choices" \
  "[ \"\$(complete_words fleetk8s up --host-key-checking '')\" = 'accept-new no off strict yes ' ]"
check "fleetk8s up --host-key-checking=a<TAB>: accept-new" "[ \"\$(complete_words fleetk8s up --host-key-checking = a)\" = 'accept-new ' ]"
check "fleetk8s up -f <TAB>: nothing for a number" "[ -z \"\$(complete_words fleetk8s up -f '')\" ]"
check "fleetk8s up -f 5 <TAB>: files again after the value" "[ \"\$(complete_words fleetk8s up -f 5 s)\" = 'stage.yml ' ]"
check "fleetk8s completion <TAB>: bash zsh" "[ \"\$(complete_words fleetk8s completion '')\" = 'bash zsh ' ]"

# Every option completed for `up` is one `up --help` lists, and the other way round.
offered=$(complete_words fleetk8s up - | tr ' ' '\n' | grep . | sort)
listed=$("$bin" up --help | grep -oE '(^|[ ,])--?[a-zA-Z][-a-zA-Z]*' | tr -d ' ,' | sort -u)
check "up's completed options are exactly those of up --help" "[ -n \"\$offered\" ] && [ \"\$offered\" = \"\$listed\" ]"

if command -v zsh >/dev/null; then
  "$bin" completion zsh >"$work/_fleetk8s"
  check "completion zsh: parses (zsh -n)" "zsh -n '$work/_fleetk8s'"
  zsh_registered=$(HOME=$work zsh -f -c 'autoload -Uz compinit && compinit -u -D && source "$1" && print -r -- $_comps[fleetk8s]' zsh "$work/_fleetk8s" 2>&1)
  check "completion zsh: sourced after compinit, compdef registers _fleetk8s" "[ \"\$zsh_registered\" = _fleetk8s ]"
else
  echo "# skipped: zsh is not installed (scripts/install-deps.sh installs it)"
fi
finish
