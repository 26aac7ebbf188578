// The playbook engine's private state, shared by its parts: compile.cpp
// (templates parsed once), play_runner.cpp (plays, batches, blocks,
// handlers), task_runner.cpp (one task on one host), actions.cpp (what a
// module does), host_session.cpp (the SSH side).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fleetk8s/orchestrator/playbook_engine.h"
#include "fleetk8s/orchestrator/session_pool.h"
#include "fleetk8s/ssh/remote_shell.h"
#include "fleetk8s/template/expression.h"
#include "fleetk8s/template/template.h"
#include "fleetk8s/template/value_template.h"

namespace fleetk8s::orchestrator {

// One host's SSH side: the connection (opened on first use through the
// engine's pacer, then kept) and one remote shell per become user, started
// on first use.
class HostSession {
 public:
  // `pacer` is borrowed and must outlive the session.
  HostSession(ConnectPacer& pacer, ExecTarget target);

  // Runs `script` as the login user (become false) or as `become_user`
  // through sudo. Errors: unreachable kinds when the host cannot be
  // reached or the session died; kBecome; kCommandTimeout.
  ssh::Task<Result<CommandResult>> run(std::string script, bool become, const std::string& become_user,
                                       std::chrono::milliseconds timeout);

  // The host's connection, opened now if it is not yet. Errors (sticky)
  // when the host cannot be reached.
  ssh::Task<Result<ssh::Connection*>> connection();

  // Drops the shells (meta: reset_connection); the next run starts anew.
  ssh::Task<void> reset();
  ssh::Task<void> close();

  // The error that lost the host (sticky until revive()), or nullopt.
  const std::optional<Error>& lost() const { return unreachable_; }
  bool connected() const { return connection_ != nullptr && !unreachable_; }
  // Closes what is left and forgets the error: the next use connects again.
  ssh::Task<void> revive();

  const ExecTarget& target() const { return target_; }

  // The connection attempts after the first that connecting took (so far).
  int connect_retries() const { return connect_retries_; }

 private:
  ConnectPacer& pacer_;
  ExecTarget target_;
  int connect_retries_ = 0;
  std::unique_ptr<ssh::Connection> connection_;
  std::map<std::string, std::unique_ptr<ssh::RemoteShell>> shells_;  // "" = no become
  std::optional<Error> unreachable_;  // sticky once the host is lost
};

struct HostState {
  std::string name;
  std::shared_ptr<HostSession> session;  // the engine's own, or borrowed from a SessionPool
  Value::Object inventory_vars;  // inventory::host_vars()
  Value::Object facts_vars;      // the facts as ansible_* (ansible_facts: facts_object)
  Value::Object host_facts;      // register and set_fact
  Value::Object magic;           // inventory_hostname, group_names, ...
  Value::Object play_vars;       // the current play's vars and vars_files
  std::set<std::string> notified;
  report::HostStats stats;
  bool in_recap = false;
  bool unreachable = false;  // lost for the rest of the command
  bool failed = false;       // failed: out of the rest of the command
  bool ended = false;        // meta: end_host, for the current play
  bool gathered = false;     // facts gathered by this engine
  bool active() const { return !unreachable && !failed && !ended; }
};

// A condition (when, changed_when, ...), parsed once.
struct Cond {
  Value literal;                        // a bool or number written as such
  std::optional<tmpl::Expression> expr;  // a bare expression
  std::string text;                     // as written (for {{ }} ones, rendered then evaluated)
  tmpl::Origin origin;
};

// A task with its templates parsed.
struct CompiledTask {
  const playbook::Task* task = nullptr;
  std::optional<tmpl::Template> name;
  std::optional<tmpl::ValueTemplate> args;
  std::vector<Cond> when, changed_when, failed_when, until;
  std::optional<tmpl::ValueTemplate> loop;
  std::optional<tmpl::Template> loop_label;
  std::vector<tmpl::ValueTemplate> environment;
};

// What a task inherits from the blocks and play around it.
struct Inherited {
  std::vector<const Value::Object*> vars;  // block vars, outermost first
  std::vector<const Cond*> when;           // enclosing blocks' conditions
  std::vector<std::string> tags;
  std::vector<const tmpl::ValueTemplate*> environment;  // outermost first
  std::optional<bool> become, ignore_errors, ignore_unreachable, no_log, check_mode, diff, run_once,
      any_errors_fatal;
  std::optional<std::string> become_user;
  std::optional<int> timeout;
  const playbook::Raw* throttle = nullptr;  // the innermost block's, else the play's
  bool is_handler = false;
};

// The result of one task on one host.
struct TaskOutcome {
  report::TaskStatus status = report::TaskStatus::kOk;
  bool ignored = false;
  Value::Object result;  // as registered
};

struct PlaybookEngine::State {
  State(ssh::Transport& t, const inventory::Inventory& inv, RunOptions o, report::PlaybookReporter& r)
      : transport(t), inventory(inv), options(std::move(o)), reporter(r), pacer(t, options.connect, log_retries()) {}

  ssh::Transport& transport;
  const inventory::Inventory& inventory;
  RunOptions options;
  report::PlaybookReporter& reporter;
  ConnectPacer pacer;  // every host's own connection goes through it
  SessionPool* pool = nullptr;  // when set, the sessions are the pool's: kept open at close()

  std::vector<HostState> hosts;            // inventory order
  std::map<std::string, size_t> host_index;
  std::map<const playbook::Task*, CompiledTask> compiled;

  // Per play.
  const playbook::Play* play = nullptr;
  Value::Object shared_magic;  // groups, ansible_play_hosts, ansible_check_mode, ...
  bool play_aborted = false;   // any_errors_fatal / max_fail_percentage
  bool end_play = false;       // meta: end_play
  bool stopped = false;        // Ctrl-C: no new work
  std::vector<size_t> batch;   // hosts of the current batch

  bool started = true;  // false until --start-at-task matched
  std::set<std::string> only;  // this run's host subset; empty: all

  // hostvars, each host's entry built when a template first asks for it
  // (hostvars[host] builds that one; any other use, all of them). A host
  // whose variables changed (register, set_fact, facts) has its entry
  // rebuilt at the next read, the others are kept: a task that registers on
  // every host while each reads hostvars costs O(hosts), not O(hosts^2).
  Value hostvars;
  bool hostvars_stale = true;            // every entry (a new play's variables)
  std::set<size_t> hostvars_changed;     // hosts whose entry is out of date
  bool hostvars_complete = false;        // every host has its entry

  std::map<std::string, tmpl::Template> template_files;  // template module cache

  HostState& host(size_t i) { return hosts[i]; }
  const CompiledTask& compiled_of(const playbook::Task& t) const { return compiled.at(&t); }
  Result<void> compile_tasks(const std::vector<playbook::Task>& tasks);
};

// -- compile.cpp
Result<CompiledTask> compile_task(const playbook::Task& task);
Result<Cond> compile_cond(const playbook::Raw& raw);
// An error unless `key` of an environment: mapping is a POSIX name
// ([A-Za-z_][A-Za-z0-9_]*), the only names sh exports; `where` starts the message.
Result<void> check_environment_name(const std::string& key, const std::string& where);
Result<bool> eval_cond(const Cond& c, const tmpl::Scope& scope);

// -- task_runner.cpp: runs `task` on host `h`, reports and registers.
ssh::Task<TaskOutcome> run_task_on_host(PlaybookEngine::State& st, size_t h, const playbook::Task& task,
                                        const Inherited& inh);

}  // namespace fleetk8s::orchestrator

namespace fleetk8s::orchestrator {

// -- task_runner.cpp helpers for the play runner.
// The task's conditions (and the enclosing blocks') on host `h`.
Result<bool> when_true(PlaybookEngine::State& st, size_t h, const playbook::Task& task, const Inherited& inh);
// The task's name rendered on host `h` (as written when it cannot render),
// or the module's name when the task has none.
std::string display_name(PlaybookEngine::State& st, size_t h, const playbook::Task& task, const Inherited& inh);
// Renders `text` (a vars_files path, include_tasks file) on host `h`.
Result<std::string> render_on_host(PlaybookEngine::State& st, size_t h, const playbook::Raw& raw, const Inherited& inh);
// How many hosts run `task` at once: --forks, lowered by the task's throttle
// (or its innermost block's), rendered with host h's variables. An error when
// the throttle does not render to a whole number, as Ansible's "Failed to
// convert the throttle value to an integer".
Result<int> hosts_at_once(PlaybookEngine::State& st, size_t h, const playbook::Task& task, const Inherited& inh);

}  // namespace fleetk8s::orchestrator
