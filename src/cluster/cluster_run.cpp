#include "fleetk8s/cluster/cluster_run.h"

#include <algorithm>

#include "fleetk8s/core/strings.h"
#include "fleetk8s/playbook/loader.h"

namespace fleetk8s::cluster {

ClusterRun::ClusterRun(orchestrator::PlaybookEngine& e, const orchestrator::ClusterRoles& r,
                       const orchestrator::ClusterOptions& o, report::PlaybookReporter& rep)
    : engine(e), roles(r), options(o), reporter(rep) {
  state.hosts = roles.control_planes;
  state.hosts.insert(state.hosts.end(), roles.workers.begin(), roles.workers.end());
  state.first_control_plane = roles.control_planes.front();
  state.api_endpoint = options.api_server;
}

ClusterRun::~ClusterRun() = default;

bool ClusterRun::among_hosts(const std::string& host) const {
  return std::find(state.hosts.begin(), state.hosts.end(), host) != state.hosts.end();
}

ssh::Task<Result<void>> ClusterRun::playbook(const std::string& file, std::vector<std::string> hosts) {
  if (hosts.empty()) co_return Result<void>{};  // (the engine would take none as every host)
  auto book = playbook::load_playbook(options.playbook_dir + "/" + file);
  if (!book) co_return book.error();
  books_.push_back(std::make_unique<playbook::Playbook>(std::move(*book)));
  auto r = co_await engine.run(*books_.back(), std::move(hosts));
  if (r && engine.stopped()) co_return Error(ErrorKind::kCancelled, "interrupted: stopped after " + file);
  co_return r;
}

const Value* ClusterRun::registered_value(const std::string& host, const std::string& var,
                                          const std::string& field) const {
  const auto* facts = engine.host_facts(host);
  if (!facts) return nullptr;
  auto it = facts->find(var);
  if (it == facts->end() || !it->second.is_object()) return nullptr;
  return it->second.find(field);
}

std::string ClusterRun::registered(const std::string& host, const std::string& var, const std::string& field) const {
  const Value* f = registered_value(host, var, field);
  return f && f->is_string() ? f->as_string() : f ? f->to_display() : "";
}

ssh::Task<Result<CommandResult>> ClusterRun::as_root(const std::string& host, const std::string& script,
                                                     std::vector<std::string> args, std::chrono::seconds timeout) {
  auto link = co_await engine.host_link(host);
  if (!link) co_return link.error();
  ssh::ExecOptions exec;
  exec.become = link->become;
  exec.become.enabled = true;
  exec.become.user = "root";
  exec.timeout = timeout;
  std::string command;
  if (!args.empty()) {
    command = "set --";
    for (const auto& a : args) command += " " + shell_quote(a);
    command += "\n";
  }
  co_return co_await link->connection->exec(command + script, exec);
}

void ClusterRun::message(const std::string& text) { reporter.message(text); }

int ClusterRun::fail(const Error& e) {
  reporter.message("fleetk8s: " + e.message());
  return e.kind() == ErrorKind::kCancelled ? orchestrator::kClusterInterrupted : orchestrator::kClusterBadInput;
}

int ClusterRun::hosts_verdict() const {
  const int code = engine.exit_code();  // Ansible's bits: 2 failed, 4 unreachable
  if (code & 2) return orchestrator::kClusterHostsFailed;
  if (code & 4) return orchestrator::kClusterUnreachable;
  return orchestrator::kClusterOk;
}

bool ClusterRun::control_plane_down(const char* what) {
  if (!engine.host_down(first_cp())) return false;
  reporter.message("fleetk8s: the control plane " + first_cp() + " could not be " + what +
                   " (see above): not joining any node");
  return true;
}

void ClusterRun::at_exit(std::function<ssh::Task<void>()> cleanup) { exits_.push_back(std::move(cleanup)); }

ssh::Task<void> ClusterRun::run_exits() {
  while (!exits_.empty()) {
    auto cleanup = std::move(exits_.back());
    exits_.pop_back();
    co_await cleanup();
  }
}

ssh::Task<int> run_phases(ClusterRun& run, const std::vector<Phase>& phases) {
  const int total = static_cast<int>(phases.size());
  int code = orchestrator::kClusterOk;
  bool ended = false;
  for (int n = 1; n <= total && !ended; ++n) {
    const Phase& phase = phases[static_cast<size_t>(n - 1)];
    if (auto why = phase.skip ? phase.skip(run) : std::nullopt) {
      run.reporter.phase(n, total, phase.title + ": " + *why);
      continue;
    }
    run.reporter.phase(n, total, phase.title);
    const Outcome out = co_await phase.run(run);
    if (out.stop) {
      code = out.code;
      ended = true;
    }
  }
  if (!ended) code = run.hosts_verdict();
  co_await run.run_exits();
  co_return code;
}

}  // namespace fleetk8s::cluster
