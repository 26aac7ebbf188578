// `fleetk8s up`, `check`, `reset` and `kubeconfig`: the cluster commands.
#include <utility>

#include <algorithm>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <unistd.h>

#include "cluster_input.h"
#include "commands.h"
#include "connection_flags.h"
#include "engine_setup.h"
#include "extra_vars.h"
#include "install_paths.h"
#include "interrupt.h"
#include "fleetk8s/cluster/cluster_run.h"
#include "fleetk8s/cluster/commands.h"
#include "fleetk8s/core/duration.h"
#include "fleetk8s/core/strings.h"
#include "fleetk8s/inventory/connection.h"
#include "fleetk8s/inventory/inventory.h"
#include "fleetk8s/inventory/pattern.h"
#include "fleetk8s/orchestrator/cluster.h"
#include "fleetk8s/orchestrator/run_lock.h"
#include "fleetk8s/orchestrator/targets.h"
#include "fleetk8s/playbook/loader.h"
#include "fleetk8s/report/log.h"
#include "fleetk8s/report/run_folder.h"

namespace fleetk8s::cli {

namespace {

namespace fs = std::filesystem;
using orchestrator::ClusterRoles;

enum class Mode { kUp, kCheck, kReset, kKubeconfig, kUpgrade, kBackup, kRemove, kCerts, kRestore };
constexpr const char* kCommandNames[] = {"up",     "check",  "reset", "kubeconfig", "upgrade",
                                         "backup", "remove", "certs", "restore"};

struct ClusterArgs {
  ConnectionFlags conn;
  std::vector<std::string> extra_vars;
  bool skip_preflight = false;
  std::string kubeconfig_out;
  std::string playbook_dir;
  bool yes = false;
  ReportFlags report;
  std::string wait_lock = "0";
  std::string upgrade_to;              // upgrade --to
  std::string max_unavailable = "1";   // upgrade --max-unavailable
  bool plan = false;                   // upgrade --plan
  bool no_drain = false;               // upgrade --no-drain
  std::string drain_timeout = "5m";    // upgrade --drain-timeout
  bool no_snapshot = false;            // upgrade --no-snapshot
  bool ignore_blockers = false;        // upgrade --ignore-blockers
  std::string backup_dir;              // upgrade --backup-dir, backup --out
  int keep = 10;                       // backup --keep
  std::vector<std::string> nodes;      // remove: the inventory hosts that leave
  bool force = false;                  // remove --force, certs --force
  bool renew = false;                  // certs --renew
};

// remove's NODE arguments: hosts of the inventory (marked
// fleetk8s_state=absent or not), each once, as given; at least one control
// plane must stay.
Result<std::vector<std::string>> leaving_hosts(const orchestrator::ClusterRoles& roles,
                                               const std::vector<std::string>& nodes) {
  auto has = [](const std::vector<std::string>& list, const std::string& h) {
    return std::find(list.begin(), list.end(), h) != list.end();
  };
  std::vector<std::string> out;
  for (const auto& n : nodes) {
    if (has(out, n)) continue;
    if (!has(roles.control_planes, n) && !has(roles.workers, n) && !has(roles.absent, n))
      return Error(ErrorKind::kInvalidInput, n + ": expected a node of the inventory, there is no such host");
    out.push_back(n);
  }
  const bool one_stays = std::any_of(roles.control_planes.begin(), roles.control_planes.end(),
                                     [&](const std::string& cp) { return !has(out, cp); });
  if (!one_stays)
    return Error(ErrorKind::kInvalidInput,
                 join(roles.control_planes, ", ") + ": the last control plane" +
                     (roles.control_planes.size() > 1 ? "s" : "") +
                     ": expected at least one control plane to stay (to take the whole cluster down: fleetk8s reset)");
  return out;
}

int fail(const Error& e) {
  report::print_error(e.message());
  return orchestrator::kClusterBadInput;
}

// Where the admin kubeconfig goes must be writable before anything runs.
Result<void> check_kubeconfig_out(const std::string& path, bool by_default) {
  const std::string flag =
      by_default ? "the kubeconfig ./" + path + " (from cluster_name)" : "--kubeconfig-out " + path;
  std::error_code ec;
  if (fs::is_directory(path, ec))
    return Error(ErrorKind::kInvalidInput, flag + ": expected a file name, this is a directory");
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec))
    return Error(ErrorKind::kInvalidInput, flag + ": expected a file in an existing directory, " + dir.string() +
                                               " is none");
  if (::access(dir.c_str(), W_OK) != 0 || (fs::exists(path, ec) && ::access(path.c_str(), W_OK) != 0))
    return Error(ErrorKind::kInvalidInput, flag + ": expected a file this user can write");
  return {};
}

// Where upgrade's etcd snapshot goes must be a directory this user can
// create or write, before anything runs.
Result<void> check_backup_dir(const std::string& path, bool by_default, const std::string& option) {
  const std::string flag = by_default ? "the backup folder " + path : option + " " + path;
  if (path.empty())
    return Error(ErrorKind::kInvalidInput, option + ": expected a folder (no HOME or XDG_STATE_HOME to default to)");
  std::error_code ec;
  fs::path existing = fs::absolute(path, ec);
  while (!existing.empty() && !fs::exists(existing, ec) && existing != existing.parent_path())
    existing = existing.parent_path();
  if (!fs::is_directory(existing, ec))
    return Error(ErrorKind::kInvalidInput, flag + ": expected a folder, " + existing.string() + " is a file");
  if (::access(existing.c_str(), W_OK | X_OK) != 0)
    return Error(ErrorKind::kInvalidInput, flag + ": expected a folder this user can write, " + existing.string() +
                                               " is not writable");
  return {};
}

// The key files named in the inventory or by --private-key must be
// readable: else every host would end unreachable after the first tries.
Result<void> check_key_files(const inventory::Inventory& inv, const std::vector<std::string>& hosts,
                             const orchestrator::ConnectionDefaults& defaults) {
  auto unreadable = [](const std::string& path) {
    return ::access(path.c_str(), R_OK) != 0 ? std::optional<std::string>(std::strerror(errno)) : std::nullopt;
  };
  for (const auto& host : hosts) {
    auto c = inventory::connection_for(inv, host);
    if (!c || !c->private_key_file) continue;
    if (auto why = unreadable(*c->private_key_file)) {
      std::string at = inv.var_origin(host, "ansible_ssh_private_key_file");
      if (at.empty()) at = inv.var_origin(host, "ansible_private_key_file");
      return Error(ErrorKind::kInvalidInput,
                   (at.empty() ? "the inventory" : at) + ": ansible_ssh_private_key_file of " + host + " is " +
                       *c->private_key_file + ": expected a key file this user can read (" + *why + ")");
    }
  }
  if (defaults.private_key_file)
    if (auto why = unreadable(*defaults.private_key_file))
      return Error(ErrorKind::kInvalidInput, "--private-key " + *defaults.private_key_file +
                                                 ": expected a key file this user can read (" + *why + ")");
  return {};
}

// The hosts `up` and the other commands reach: the control planes (the run
// lock lives on the first one, or another when it is down: reset and remove
// reach them even when only workers are named), then `hosts`; remove also
// every worker (the node-local endpoints follow a control plane's removal).
// Connections open on first use: one not needed costs nothing.
std::vector<std::string> reached_hosts(const orchestrator::ClusterRoles& roles, const std::vector<std::string>& hosts,
                                       bool every_worker) {
  std::vector<std::string> reached = hosts;
  if (every_worker)
    for (auto it = roles.workers.rbegin(); it != roles.workers.rend(); ++it)
      if (std::find(reached.begin(), reached.end(), *it) == reached.end()) reached.insert(reached.begin(), *it);
  for (auto it = roles.control_planes.rbegin(); it != roles.control_planes.rend(); ++it)
    if (std::find(reached.begin(), reached.end(), *it) == reached.end()) reached.insert(reached.begin(), *it);
  return reached;
}

Result<std::vector<orchestrator::ExecTarget>> reach_for_removal(const ClusterInput& in,
                                                                const std::vector<std::string>& leaving) {
  return orchestrator::make_targets(*in.inventory, reached_hosts(in.roles, leaving, true), in.defaults);
}

bool confirm(const std::string& question) {
  if (!::isatty(0)) return false;
  std::fprintf(stderr, "%s [y/N] ", question.c_str());
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "y" || answer == "Y" || answer == "yes";
}

int run(const ClusterArgs& args, Mode mode) {
  report::set_verbosity(args.conn.verbosity);
  auto input = read_cluster_input(args.conn, args.extra_vars, args.playbook_dir);
  if (!input) return fail(input.error());
  const inventory::Inventory* inv = input->inventory.get();
  const orchestrator::ClusterRoles* roles = &input->roles;
  orchestrator::ClusterOptions options = input->options;
  options.skip_preflight = args.skip_preflight;
  options.command = kCommandNames[static_cast<int>(mode)];
  if (mode == Mode::kCheck || mode == Mode::kKubeconfig || (mode == Mode::kCerts && !args.renew))
    options.command = "up";  // (no lock)
  if (mode == Mode::kCerts && args.force && !args.renew)
    return fail(Error(ErrorKind::kInvalidInput, "--force: expected together with --renew (it renews every certificate)"));
  options.keep_backups = args.keep;
  options.upgrade_to = args.upgrade_to;
  options.max_unavailable = args.max_unavailable;
  options.plan_only = args.plan;
  options.no_drain = args.no_drain;
  options.no_snapshot = args.no_snapshot;
  options.ignore_blockers = args.ignore_blockers;
  if (mode == Mode::kUpgrade || mode == Mode::kRemove) {
    auto d = parse_duration(args.drain_timeout);
    if (!d || d->count() < 1) return fail(Error(ErrorKind::kInvalidInput, "--drain-timeout " + args.drain_timeout + ": expected a duration (90s, 5m)"));
    options.drain_timeout = *d;
  }
  auto wait = parse_duration(args.wait_lock);
  if (!wait) return fail(wait.error().context("--wait-lock"));
  options.lock_wait = *wait;
  if (mode == Mode::kUp || mode == Mode::kReset || mode == Mode::kUpgrade || mode == Mode::kRemove || mode == Mode::kRestore ||
      (mode == Mode::kCerts && args.renew))
    if (auto answer = orchestrator::lock_answer_timeout(); !answer) return fail(answer.error());
  const std::string cluster_name = input->settings["cluster_name"].to_display();
  std::vector<std::string> hosts = input->hosts;
  if (mode == Mode::kRemove) {
    auto leaving = leaving_hosts(*roles, args.nodes);
    if (!leaving) return fail(leaving.error());
    hosts = *leaving;
    options.force = args.force;
    if (!args.yes && !confirm("Remove " + std::to_string(hosts.size()) +
                              " node(s) from the cluster (drain, kubeadm reset, etcd member, delete the Node)?")) {
      std::fprintf(stderr, "fleetk8s: not confirmed (use --yes to skip the question)\n");
      return orchestrator::kClusterBadInput;
    }
  }
  if (mode == Mode::kRestore) {
    if (args.backup_dir.empty()) return fail(Error(ErrorKind::kInvalidInput, "--from: expected a snapshot folder"));
    if (!args.yes && !confirm("Restore etcd from " + args.backup_dir +
                              "? What the cluster changed since that snapshot is lost; the API server stops meanwhile.")) {
      std::fprintf(stderr, "fleetk8s: not confirmed (use --yes to skip the question)\n");
      return orchestrator::kClusterBadInput;
    }
  }
  if (mode == Mode::kReset && !args.yes &&
      !confirm("Reset Kubernetes on " + std::to_string(hosts.size()) + " host(s)? This deletes the cluster's state there.")) {
    std::fprintf(stderr, "fleetk8s: not confirmed (use --yes to skip the question)\n");
    return orchestrator::kClusterBadInput;
  }
  if (mode == Mode::kUpgrade && !args.plan && !args.yes &&
      !confirm("Upgrade Kubernetes on " + std::to_string(hosts.size()) +
               " host(s), node by node (each drained)? `--plan` shows the steps first.")) {
    std::fprintf(stderr, "fleetk8s: not confirmed (use --yes to skip the question)\n");
    return orchestrator::kClusterBadInput;
  }
  auto targets = mode == Mode::kRemove ? reach_for_removal(*input, hosts)
                                         : Result<std::vector<orchestrator::ExecTarget>>(input->targets);
  if (!targets) return fail(targets.error());
  options.kubeconfig_out = !args.kubeconfig_out.empty()
                               ? args.kubeconfig_out
                               : cluster_name + ".kubeconfig";
  options.backup_dir = !args.backup_dir.empty() ? args.backup_dir
                                                : report::default_backups_dir(cluster_name);
  while (options.backup_dir.size() > 1 && options.backup_dir.back() == '/') options.backup_dir.pop_back();
  if (mode == Mode::kRestore)
    if (auto ok = cluster::check_snapshot_folder(options.backup_dir, cluster_name); !ok)
      return fail(ok.error());
  if ((mode == Mode::kUpgrade && !args.plan && !args.no_snapshot) || mode == Mode::kBackup)
    if (auto ok = check_backup_dir(options.backup_dir, args.backup_dir.empty(), mode == Mode::kBackup ? "--out" : "--backup-dir");
        !ok)
      return fail(ok.error());
  if (mode == Mode::kUp || mode == Mode::kKubeconfig || (mode == Mode::kUpgrade && !args.plan) ||
      (mode == Mode::kCerts && args.renew))
    if (auto ok = check_kubeconfig_out(options.kubeconfig_out, args.kubeconfig_out.empty()); !ok)
      return fail(ok.error());

  orchestrator::RunOptions run_options;
  run_options.check = mode == Mode::kCheck || (mode == Mode::kUpgrade && args.plan);  // the plan changes nothing
  // The phases' playbooks run seconds apart and read only facts no phase
  // changes (addresses, CPUs, memory, the OS): each host's are gathered once.
  run_options.smart_gathering = true;
  run_options.forks = args.conn.forks;
  run_options.connect = connect_pacing(args.conn);
  run_options.extra_vars = std::move(input->settings);
  run_options.inventory_file = args.conn.inventory;

  report::RunInfo info;
  info.command = kCommandNames[static_cast<int>(mode)];
  info.inventory = args.conn.inventory;
  info.check = run_options.check;
  Reporting reporting(args.report, args.conn.verbosity, info, hosts);
  std::vector<std::pair<std::string, std::string>> changes;
  auto reporter = report::make_change_recorder(reporting.reporter(), changes);
  reporting.begin();
  auto code = run_engine(
      *inv, std::move(*targets), run_options, *reporter, nullptr,
      [&](orchestrator::PlaybookEngine& engine) -> ssh::Task<Result<int>> {
        cluster::ClusterRun run(engine, *roles, options, *reporter);
        run.changes = &changes;
        const std::vector<cluster::Phase> phases = mode == Mode::kUp      ? cluster::up_phases()
                                                   : mode == Mode::kCheck ? cluster::check_phases()
                                                   : mode == Mode::kReset ? cluster::reset_phases(hosts)
                                                   : mode == Mode::kUpgrade ? (args.plan ? cluster::upgrade_plan_phases()
                                                                                         : cluster::upgrade_phases())
                                                   : mode == Mode::kBackup ? cluster::backup_phases()
                                                   : mode == Mode::kRemove ? cluster::remove_phases(hosts)
                                                   : mode == Mode::kCerts  ? cluster::certs_phases(args.renew, args.force)
                                                   : mode == Mode::kRestore ? cluster::restore_phases()
                                                                           : cluster::kubeconfig_phases();
        co_return co_await cluster::run_phases(run, phases);
      });
  return reporting.finish(code ? *code : fail(code.error()));
}

Runner add(CLI::App& app, const char* name, const char* help, Mode mode, const char* footer) {
  auto args = std::make_shared<ClusterArgs>();
  auto* cmd = app.add_subcommand(name, help);
  add_connection_flags(*cmd, args->conn, true);
  cmd->add_option("-e,--extra-vars", args->extra_vars, "Cluster settings: key=value, a YAML/JSON mapping, or @FILE");
  cmd->add_option("--playbook-dir", args->playbook_dir, "Where fleetk8s' playbooks are (default: the installed ones)");
  if (mode == Mode::kUp)
    cmd->add_flag("--skip-preflight", args->skip_preflight, "Go on even when hosts miss prerequisites");
  if (mode == Mode::kUp || mode == Mode::kKubeconfig || mode == Mode::kUpgrade || mode == Mode::kCerts)
    cmd->add_option("--kubeconfig-out", args->kubeconfig_out, "Where to write the admin kubeconfig (default ./CLUSTER.kubeconfig)");
  if (mode == Mode::kReset || mode == Mode::kUpgrade || mode == Mode::kRemove || mode == Mode::kRestore)
    cmd->add_flag("-y,--yes", args->yes, "Do not ask for confirmation");
  if (mode == Mode::kUp || mode == Mode::kReset)
    cmd->add_option("--wait-lock", args->wait_lock,
                    "When another run holds the cluster's run lock, wait for it this long (30s, 10m, 1h; default 0: exit 6)");
  if (mode == Mode::kUpgrade) {
    cmd->add_option("--to", args->upgrade_to,
                    "The Kubernetes minor (1.34: its newest patch) or release (1.34.2) to go to (default: kubernetes_version)");
    cmd->add_option("--max-unavailable", args->max_unavailable,
                    "Workers upgraded at once: a number, or a percentage of the workers (default 1)");
    cmd->add_flag("--plan", args->plan, "Show the steps, order, batches and blockers; change nothing");
    cmd->add_flag("--no-drain", args->no_drain, "Upgrade nodes without draining them (workloads stay where they are)");
    cmd->add_option("--drain-timeout", args->drain_timeout, "How long one node's drain may take (default 5m)");
    cmd->add_option("--backup-dir", args->backup_dir,
                    "Where the etcd snapshot taken first goes (default ~/.local/state/fleetk8s/backups/CLUSTER)");
    cmd->add_flag("--no-snapshot", args->no_snapshot, "Upgrade without taking an etcd snapshot first");
    cmd->add_flag("--ignore-blockers", args->ignore_blockers,
                  "Go on although the plan found blockers (they are listed; the rollout stops at the first node "
                  "that fails)");
    cmd->add_option("--wait-lock", args->wait_lock,
                    "When another run holds the cluster's run lock, wait for it this long (default 0: exit 6)");
  }
  if (mode == Mode::kRemove) {
    cmd->add_option("nodes", args->nodes, "The nodes that leave (inventory names; control planes too)")->required();
    cmd->add_flag("--force", args->force,
                  "Remove unreachable nodes too (only their Node objects go), and go on despite drain blockers");
    cmd->add_option("--drain-timeout", args->drain_timeout, "How long one node's drain may take (default 5m)");
    cmd->add_option("--wait-lock", args->wait_lock,
                    "When another run holds the cluster's run lock, wait for it this long (default 0: exit 6)");
  }
  if (mode == Mode::kRestore) {
    cmd->add_option("--from", args->backup_dir, "The snapshot folder `fleetk8s backup` wrote (OUT/STAMP)")->required();
    cmd->add_option("--wait-lock", args->wait_lock,
                    "When another run holds the cluster's run lock, wait for it this long (default 0: exit 6)");
  }
  if (mode == Mode::kCerts) {
    cmd->add_flag("--renew", args->renew,
                  "Renew the certificates due within cert_renew_days: kubeadm certs renew all on each control plane "
                  "in turn, its static pods restarted (etcd, API server, controller-manager, scheduler), then the "
                  "admin kubeconfig again");
    cmd->add_flag("--force", args->force, "With --renew: renew on every control plane, due or not");
    cmd->add_option("--wait-lock", args->wait_lock,
                    "With --renew: when another run holds the cluster's run lock, wait for it this long (default 0: exit 6)");
  }
  if (mode == Mode::kBackup) {
    cmd->add_option("--out", args->backup_dir,
                    "Where the snapshots go, each in a dated folder (default ~/.local/state/fleetk8s/backups/CLUSTER)");
    cmd->add_option("--keep", args->keep, "This cluster's snapshots kept there, the newest (default 10; 0 keeps all; another cluster's are never removed)")
        ->check(CLI::Range(0, 100000));
  }
  add_report_flags(*cmd, args->report);
  cmd->footer(footer);
  return [args, mode]() { return run(*args, mode); };
}

}  // namespace

Result<Value::Object> checked_settings(const std::string& playbook_dir, const inventory::Inventory& inv,
                                       const orchestrator::ClusterRoles& roles,
                                       const std::vector<std::string>& extra_vars) {
  std::map<std::string, std::string> origins;
  auto extra = parse_extra_vars(extra_vars, &origins);
  if (!extra) return extra.error();
  // The phases load their playbooks one by one: one an admin broke would
  // otherwise stop the run halfway, after the hosts were prepared.
  std::error_code ec;
  std::vector<fs::path> books;
  for (const auto& entry : fs::directory_iterator(playbook_dir, ec))
    if (entry.path().extension() == ".yml" && entry.is_regular_file(ec)) books.push_back(entry.path());
  std::sort(books.begin(), books.end());
  for (const auto& book : books)
    if (auto loaded = playbook::load_playbook(book.string()); !loaded) return loaded.error();
  return orchestrator::cluster_settings(playbook_dir, inv, roles, *extra, origins);
}

Result<ClusterInput> read_cluster_input(const ConnectionFlags& conn, const std::vector<std::string>& extra_vars,
                                        const std::string& playbook_dir_flag) {
  ClusterInput in;
  auto inv = inventory::Inventory::load(conn.inventory);
  if (!inv) return inv.error();
  in.inventory = std::make_unique<inventory::Inventory>(std::move(*inv));
  auto roles = orchestrator::cluster_roles(*in.inventory);
  if (!roles) return roles.error().context(conn.inventory);
  in.roles = std::move(*roles);
  auto books = playbook_dir(playbook_dir_flag);
  if (!books) return books.error();
  in.options.playbook_dir = *books;
  auto settings = checked_settings(in.options.playbook_dir, *in.inventory, in.roles, extra_vars);
  if (!settings) return settings.error();
  in.settings = std::move(*settings);

  in.hosts = in.roles.control_planes;
  in.hosts.insert(in.hosts.end(), in.roles.workers.begin(), in.roles.workers.end());
  if (!conn.limit.empty()) {
    auto l = inventory::select_limit(*in.inventory, conn.limit);
    if (!l) return l.error().context("--limit " + conn.limit);
    std::vector<std::string> kept;
    for (const auto& h : in.hosts)
      if (std::find(l->begin(), l->end(), h) != l->end()) kept.push_back(h);
    if (kept.empty())
      return Error(ErrorKind::kInvalidInput,
                   "--limit " + conn.limit + ": expected some control plane or worker of the cluster, it selects none");
    in.hosts = kept;
  }
  auto defaults = resolve(conn);
  if (!defaults) return defaults.error();
  in.defaults = std::move(*defaults);
  const std::vector<std::string> reached = reached_hosts(in.roles, in.hosts, false);
  auto targets = orchestrator::make_targets(*in.inventory, reached, in.defaults);
  if (!targets) return targets.error();
  in.targets = std::move(*targets);
  if (auto ok = check_key_files(*in.inventory, reached, in.defaults); !ok) return ok.error();
  const std::string endpoint = in.settings["control_plane_endpoint"].to_display();
  // Each control plane's API server as this machine reaches it: its node_ip
  // when SSH reaches it elsewhere (Vagrant's port forwards), else its address.
  for (const auto& t : in.targets) {
    const auto& cps = in.roles.control_planes;
    if (std::find(cps.begin(), cps.end(), t.connect.name) == cps.end()) continue;
    const Value::Object cp_vars = in.inventory->host_vars(t.connect.name);
    const auto node_ip = cp_vars.find("node_ip");
    const std::string cp_address = node_ip != cp_vars.end() ? node_ip->second.to_display() : "";
    in.options.control_plane_api[t.connect.name] =
        !endpoint.empty() ? endpoint : (!cp_address.empty() ? cp_address : t.connect.address) + ":6443";
  }
  in.options.api_server = in.options.control_plane_api[in.roles.control_planes.front()];
  return in;
}

Runner add_up_command(CLI::App& app) {
  return add(app, "up", "Install or converge Kubernetes (CRI-O, kubeadm) on the inventory's hosts", Mode::kUp,
             "Exit status: 0 cluster converged and every node Ready, 1 bad input (nothing was run),\n"
             "3 some host failed or is not Ready (also the control plane: then nothing joined),\n"
             "4 some host unreachable (none failed), 5 preflight found problems (nothing changed),\n"
             "6 another run holds the cluster's run lock (nothing changed), 130 interrupted.");
}

Runner add_check_command(CLI::App& app) {
  return add(app, "check", "Report drift from the converged cluster without changing anything", Mode::kCheck,
             "Exit status: 0 converged, 2 drift found (each host and task that would change is listed),\n"
             "3 some host failed, 4 some host unreachable, 1 bad input. check takes no lock.");
}

Runner add_reset_command(CLI::App& app) {
  return add(app, "reset", "Tear Kubernetes down on the inventory's hosts (asks first)", Mode::kReset,
             "Exit status: 0 ok, 3 some host failed, 4 some host unreachable, 6 another run holds the\n"
             "run lock, 1 bad input or not confirmed.");
}

Runner add_upgrade_command(CLI::App& app) {
  return add(app, "upgrade", "Upgrade Kubernetes node by node, one minor at a time (--plan: show how)", Mode::kUpgrade,
             "Exit status: 0 upgraded (--plan: nothing blocks), 5 something blocks (listed; nothing changed),\n"
             "1 bad input (a downgrade, a release the repositories lack), 3 a node failed (named; the rollout\n"
             "stopped after its batch) or no control plane, 4 unreachable, 6 another run holds the run lock,\n"
             "130 interrupted (run upgrade again to finish).");
}

Runner add_remove_command(CLI::App& app) {
  return add(app, "remove", "Take nodes out of the cluster: drain, kubeadm reset, etcd member, delete the Node", Mode::kRemove,
             "A node already gone is a no-op. Keep a removed host out of the next `up`: delete it from the\n"
             "inventory or mark it fleetk8s_state=absent. Exit status: 0 removed (or nothing to do), 1 bad input\n"
             "(the last control plane, a name the inventory lacks), 3 a drain, reset or etcd step failed (named; the node is\n"
             "uncordoned again), 4 a node is unreachable (use --force) or the control plane is, 5 a drain would\n"
             "be blocked or etcd would lose its quorum (said; nothing changed), 6 another run holds the run lock,\n"
             "130 interrupted.");
}

Runner add_certs_command(CLI::App& app) {
  return add(app, "certs", "Show when every control plane's certificates expire; --renew renews those due",
             Mode::kCerts,
             "Exit status: 0 none due (--renew: renewed), 2 some expire within cert_renew_days (named with node\n"
             "and date), 3 some expired or missing (or kubeadm could not tell; --renew: the renewal failed, named),\n"
             "4 a control plane unreachable, 6 another run holds the run lock (--renew), 1 bad input.\n"
             "`up` renews the certificates due too. CAs are not renewed (kubeadm cannot): a CA due is said.");
}

Runner add_backup_command(CLI::App& app) {
  return add(app, "backup", "Snapshot etcd and fetch it here with the cluster's certificates", Mode::kBackup,
             "Writes OUT/STAMP/snapshot.db, pki.tar and manifest.json (0600, folder 0700); older snapshots\n"
             "beyond --keep are removed. Exit status: 0 taken, 3 the snapshot failed, 4 control plane\n"
             "unreachable, 1 bad input.");
}

Runner add_restore_command(CLI::App& app) {
  return add(app, "restore", "Restore a single control plane's etcd from a `fleetk8s backup` snapshot", Mode::kRestore,
             "kubeadm's procedure: the API server and etcd stop, the snapshot restored into a new data directory\n"
             "(etcd 3.5: etcdctl in the etcd pod; 3.6+: etcdutl from etcd's release at etcd_release_url, checked\n"
             "against its SHA256SUMS), the data swapped (the old kept beside it), both started and waited for.\n"
             "Refused (exit 5, nothing changed) with several etcd members: the message gives the manual\n"
             "procedure. Exit status: 0 restored, 1 bad input (the folder, its manifest, another cluster's\n"
             "snapshot), 3 the restore failed (said; the old data back) or etcdutl could not be had (nothing\n"
             "changed), 4 unreachable, 6 locked.");
}

Runner add_kubeconfig_command(CLI::App& app) {
  return add(app, "kubeconfig", "Fetch the cluster's admin kubeconfig again", Mode::kKubeconfig,
             "Exit status: 0 written, 3 could not read it, 4 control plane unreachable, 1 bad input.");
}

}  // namespace fleetk8s::cli
