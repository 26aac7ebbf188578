// The command line as data: every visible command, option and positional
// read from the CLI11 definition, so the man page and the shell completions
// are rendered from what the parser really accepts and cannot drift from it.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace fleetk8s::cli {

// What an option's or a positional's value is, for completion.
enum class ValueKind {
  kNone,     // a flag: takes no value
  kFile,     // text: a path is the likeliest (inventories, keys, reports, @FILE)
  kNumber,   // INT, FLOAT, ...: nothing to complete
  kChoice,   // one of `choices` (CLI::IsMember)
};

struct OptionRef {
  std::vector<std::string> names;  // "-i", "--inventory"; for a positional, its name ("inventory")
  std::string value;               // the value's name as --help shows it ("TEXT", "INT"); empty for a flag
  ValueKind kind = ValueKind::kNone;
  std::vector<std::string> choices;
  bool repeatable = false;         // takes several values (-e a=1 -e b=2, command...)
  bool required = false;
  std::string help;
};

struct CommandRef {
  std::vector<std::string> path;   // {} for fleetk8s itself, {"inventory", "list"}
  std::string help;                // one line
  std::string footer;              // the exit status text, when it has its own
  std::vector<OptionRef> options;  // named options, --help first
  std::vector<OptionRef> positionals;
  std::vector<CommandRef> subcommands;
};

// The visible commands of `app` (hidden ones, group "", are left out).
CommandRef describe(const CLI::App& app);

// "fleetk8s inventory list" for {"inventory", "list"}.
std::string command_line(const CommandRef& command);

}  // namespace fleetk8s::cli
