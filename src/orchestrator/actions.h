// What one module call does on one host, once its arguments are rendered
// and validated: host modules run their generated script through the
// host's remote shell; controller modules (debug, set_fact, assert, fail,
// pause, template, fetch, setup) run here, as Ansible's action plugins do.
#pragma once

#include <chrono>
#include <string>

#include "fleetk8s/modules/module.h"
#include "run_state.h"
#include "var_scope.h"

namespace fleetk8s::orchestrator {

struct ActionContext {
  PlaybookEngine::State& st;
  size_t host;
  const playbook::Task& task;
  const VarScope& scope;
  modules::RunMode mode;
  bool become = false;
  std::string become_user;
  std::string env_prefix;  // "export K='v'\n" lines, run before the script
  std::chrono::milliseconds timeout{0};
};

struct ActionResult {
  modules::Outcome outcome;
  bool unreachable = false;
  bool always_show = false;  // debug prints its result without -v
};

// Runs the task's module with `args` (rendered, validated, canonical names).
ssh::Task<ActionResult> run_action(ActionContext& ctx, Value::Object args);

// Runs the facts script on the host and stores its facts as ansible_*
// variables in its state (ansible_facts is made from them: facts_object).
ssh::Task<ActionResult> gather_facts(PlaybookEngine::State& st, size_t host, bool become,
                                     const std::string& become_user);

}  // namespace fleetk8s::orchestrator
