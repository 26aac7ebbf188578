// Shell completion scripts for fleetk8s, rendered from the command line's
// own definition (cli_reference.h).
#pragma once

#include <string>

#include "cli_reference.h"

namespace fleetk8s::cli {

// A bash script defining _fleetk8s and `complete -F _fleetk8s fleetk8s`:
// subcommands, each command's options, the choices of an option that has
// them, files for text values and for the positional argument (inventory,
// playbook). Needs bash 4 (compopt, mapfile); no bash-completion package.
std::string bash_completion(const CommandRef& root);

// A zsh completion function _fleetk8s (with descriptions): autoloaded when
// saved as _fleetk8s in $fpath, or registered with compdef when sourced
// after compinit.
std::string zsh_completion(const CommandRef& root);

}  // namespace fleetk8s::cli
