// wait_for: polls on the host until a TCP port accepts (or refuses)
// connections, a file appears (optionally holding a regex match) or goes
// away, failing with Ansible's "Timeout when waiting for ..." message. The
// port check uses bash's /dev/tcp (bash is always on RHEL). Never changed;
// skipped in check mode, as Ansible skips it.
#include <cstdlib>

#include "arg_check.h"
#include "file_lib.h"
#include "fleetk8s/core/py_ere.h"
#include "registry.h"
#include "text_edit.h"

namespace fleetk8s::modules {

using pyre::RegexDialect;
using pyre::translate_python_regex;

namespace {

std::string integer_arg(const Value::Object& args, const std::string& key, const std::string& fallback, bool& ok) {
  const std::string v = arg_string(args, key, fallback);
  ok = ok && !v.empty() && v.find_first_not_of("0123456789") == std::string::npos;
  return v;
}

class WaitForModule final : public Module {
 public:
  std::string_view name() const override { return "wait_for"; }

  Result<std::string> script(const Value::Object& args, const RunMode& mode) const override {
    auto made = make_script(args, mode);
    if (!made) return made.error().context("wait_for");
    return made;
  }

  Outcome interpret(const CommandResult& ran, const Value::Object& args, const RunMode& mode) const override {
    Outcome o = Module::interpret(ran, args, mode);
    o.changed = false;
    o.diff.clear();
    const size_t at = ran.out.rfind("elapsed=");
    if (at != std::string::npos) o.result["elapsed"] = static_cast<std::int64_t>(std::atoll(ran.out.c_str() + at + 8));
    for (const char* key : {"path", "port", "search_regex"})
      if (has_arg(args, key)) o.result[key] = args.at(key);
    o.result["state"] = arg_string(args, "state", "started");
    return o;
  }

 private:
  static Result<std::string> make_script(const Value::Object& args, const RunMode& mode) {
    if (auto ok = no_nul(args); !ok) return ok.error();
    auto state = arg_choice(args, "state", {"started", "present", "stopped", "absent", "drained"}, "started");
    if (!state) return state.error();
    const bool has_port = has_arg(args, "port"), has_path = has_arg(args, "path");
    const std::string path = arg_string(args, "path"), host = arg_string(args, "host", "127.0.0.1");
    const std::string regex = arg_string(args, "search_regex");
    if (has_port && has_path) return Error(ErrorKind::kInvalidInput, "port and path parameter can not both be passed to wait_for");
    if (has_path && *state == "stopped") {
      return Error(ErrorKind::kInvalidInput, "state=stopped should only be used for checking a port in the wait_for module");
    }
    if (auto ok = check_name("host", host, "._:-[]%", "a host name or address"); !ok) return ok.error();
    if (*state == "drained") return Error(ErrorKind::kInvalidInput, "state=drained is not supported");
    bool ok = true;
    const std::string timeout = integer_arg(args, "timeout", "300", ok), delay = integer_arg(args, "delay", "0", ok);
    const std::string sleep = integer_arg(args, "sleep", "1", ok);
    const std::string connect = integer_arg(args, "connect_timeout", "5", ok);
    const std::string port = has_port ? integer_arg(args, "port", "", ok) : "";
    if (!ok) return Error(ErrorKind::kInvalidInput, "timeout, delay, sleep, connect_timeout and port must be whole numbers");
    if (mode.check) return std::string("echo 'skipped: remote module (wait_for) does not support check mode'; exit 101\n");

    const bool stop = *state == "stopped" || *state == "absent";
    std::string check;  // a command that succeeds once the wait is over
    std::string what;   // the timeout message
    if (has_port) {
      // Connects while the deadline allows; a refused or timed-out connection fails.
      const std::string connects = "timeout \"$fk_ct\" bash -c ': <\"/dev/tcp/$0/$1\"' \"$fk_host\" " + port + " 2>/dev/null";
      if (!regex.empty() && !stop) {
        // grep, not mawk: mawk waits for a full buffer from the socket.
        auto ere = translate_python_regex(regex, RegexDialect::kSedMultiline);
        if (!ere) return ere.error().context("search_regex");
        check = "fk_re=" + shell_quote(ere->text) + " timeout \"$fk_ct\" bash -c 'exec 3<\"/dev/tcp/$0/$1\" || exit 1; "
                "LC_ALL=C grep -qE -e \"$fk_re\" <&3' \"$fk_host\" " + port + " 2>/dev/null";
        what = "Timeout when waiting for search string " + regex + " in " + host + ":" + port;
      } else {
        check = stop ? "! " + connects : connects;
        what = stop ? "Timeout when waiting for " + host + ":" + port + " to stop."
                    : "Timeout when waiting for " + host + ":" + port;
      }
    } else if (has_path) {
      if (stop) {
        check = "[ ! -e \"$fk_path\" ]";
        what = "Timeout when waiting for " + path + " to be absent.";
      } else if (!regex.empty()) {
        auto ere = translate_python_regex(regex, RegexDialect::kAwkLine);
        if (!ere) return ere.error().context("search_regex");
        check = "[ -r \"$fk_path\" ] && fk_re=" + shell_quote(ere->text) +
                " LC_ALL=C awk '$0 \"\\n\" ~ ENVIRON[\"fk_re\"] { found = 1; exit } END { exit !found }' < \"$fk_path\"";
        what = "Timeout when waiting for search string " + regex + " in " + path;
      } else {
        check = "[ -e \"$fk_path\" ]";
        what = "Timeout when waiting for file " + path;
      }
    }
    const std::string message = has_arg(args, "msg") ? arg_string(args, "msg") : what;

    std::string s = std::string(kScriptHead) + "fk_start=$(date +%s) || exit 1\nfk_end=$((fk_start + " + timeout + "))\n";
    s += "fk_host=" + shell_quote(host) + "\nfk_path=" + shell_quote(path) + "\n";
    if (delay != "0") s += "sleep " + delay + "\n";
    if (check.empty()) {
      // Neither port nor path: Ansible just sleeps for the timeout.
      s += "sleep " + timeout + "\n";
    } else {
      s += "while :; do\n  fk_now=$(date +%s)\n  [ \"$fk_now\" -lt \"$fk_end\" ] || { printf '%s\\n' " + shell_quote(message) +
           " >&2; echo \"elapsed=$((fk_now - fk_start))\"; exit 1; }\n";
      if (has_port) {
        s += "  fk_ct=$((fk_end - fk_now)); [ \"$fk_ct\" -le " + connect + " ] || fk_ct=" + connect + "\n";
      }
      s += "  if " + check + "; then break; fi\n  sleep " + sleep + "\ndone\n";
    }
    return s + "echo \"elapsed=$(($(date +%s) - fk_start))\"\nexit 0\n";
  }
};

}  // namespace

std::unique_ptr<Module> make_wait_for_module() { return std::make_unique<WaitForModule>(); }

}  // namespace fleetk8s::modules
