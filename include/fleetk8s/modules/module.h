// Modules: what a playbook task does on a host, as a POSIX shell script
// generated on the controller (no Python, nothing left on the host).
//
// The script protocol (shared by every module but command/shell/raw):
//   exit 0    ok, nothing changed (or nothing would change, in check mode)
//   exit 100  changed (or would change, in check mode)
//   exit 101  skipped (stdout says why)
//   other     failed; stderr says why
//   stdout    a unified diff when the task runs with diff on; module data
//             as `key=value` lines where a module returns facts (stat)
// command, shell and raw exit with the command's own status (changed when
// it ran). Their script's own verdicts (skip for creates/removes and check
// mode, fail for chdir) exit 101 with a first stdout line that starts with
// a random per-run token, so a command that exits 101 itself can never
// pass for a skip.
// Scripts must be idempotent, must change nothing in check mode, and may
// use only POSIX sh and the coreutils every RHEL host has.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "fleetk8s/core/strings.h"
#include "fleetk8s/core/command_result.h"
#include "fleetk8s/core/result.h"
#include "fleetk8s/core/value.h"

namespace fleetk8s::modules {

struct RunMode {
  bool check = false;  // --check: report, change nothing
  bool diff = false;   // --diff: show what changes in files
};

// What a task's run amounts to, as the report and `register` see it.
struct Outcome {
  bool changed = false;
  bool failed = false;
  bool skipped = false;
  std::string msg;
  std::string diff;        // unified diff, when asked for and available
  Value::Object result;    // registered fields: rc, stdout, stderr, stdout_lines, ...
};

class Module {
 public:
  virtual ~Module() = default;
  virtual std::string_view name() const = 0;

  // The script for `args` (templated and validated, canonical argument
  // names). Errors are argument problems found only now (kInvalidInput).
  virtual Result<std::string> script(const Value::Object& args, const RunMode& mode) const = 0;

  // Reads what the script returned. The default follows the protocol above.
  virtual Outcome interpret(const CommandResult& ran, const Value::Object& args, const RunMode& mode) const;
};

// The module named `name` (canonical: "copy", "command", ...), or nullptr
// when fleetk8s does not run it on hosts (controller-side modules such as
// debug or set_fact are the engine's).
const Module* find_module(std::string_view name);

// Helpers for module scripts.
using fleetk8s::shell_quote;  // core/strings.h: one single-quoted shell word
std::string arg_string(const Value::Object& args, const std::string& key, const std::string& fallback = "");
bool arg_bool(const Value::Object& args, const std::string& key, bool fallback);

}  // namespace fleetk8s::modules
