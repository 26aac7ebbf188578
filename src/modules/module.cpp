#include "fleetk8s/modules/module.h"

#include <sstream>

#include "registry.h"

namespace fleetk8s::modules {

namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string arg_string(const Value::Object& args, const std::string& key, const std::string& fallback) {
  auto it = args.find(key);
  if (it == args.end() || it->second.is_null()) return fallback;
  return it->second.to_display();
}

bool arg_bool(const Value::Object& args, const std::string& key, bool fallback) {
  auto it = args.find(key);
  if (it == args.end() || it->second.is_null()) return fallback;
  if (it->second.is_bool()) return it->second.as_bool();
  const std::string s = it->second.to_display();
  return s == "yes" || s == "true" || s == "True" || s == "on" || s == "1";
}

Outcome Module::interpret(const CommandResult& ran, const Value::Object&, const RunMode& mode) const {
  Outcome o;
  if (!ran.exit_signal.empty()) {
    o.failed = true;
    o.msg = "the module script was killed by signal " + ran.exit_signal;
    return o;
  }
  switch (ran.exit_status) {
    case 0: break;
    case 100: o.changed = true; break;
    case 101:
      o.skipped = true;
      o.msg = trimmed(ran.out);
      return o;
    default:
      o.failed = true;
      o.msg = trimmed(ran.err);
      if (o.msg.empty()) o.msg = "the module script failed with " + ran.describe_exit();
      return o;
  }
  if (mode.diff) o.diff = ran.out;
  return o;
}

const Module* find_module(std::string_view name) { return registry().find(name); }

}  // namespace fleetk8s::modules
