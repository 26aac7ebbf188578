// `fleetk8s watch INVENTORY`: the cluster's check (or a playbook in check
// mode) every --every over kept SSH sessions, drift said as it is seen,
// --fix, Prometheus metrics (cluster/watch.h). Runs until SIGTERM or Ctrl-C;
// SIGHUP reads the inventory again.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <memory>

#include "cluster_input.h"
#include "commands.h"
#include "connection_flags.h"
#include "engine_setup.h"
#include "extra_vars.h"
#include "interrupt.h"
#include "open_files.h"
#include "fleetk8s/cluster/watch.h"
#include "fleetk8s/core/duration.h"
#include "fleetk8s/http/metrics_server.h"
#include "fleetk8s/inventory/pattern.h"
#include "fleetk8s/orchestrator/run_lock.h"
#include "fleetk8s/playbook/loader.h"
#include "fleetk8s/report/log.h"
#include "fleetk8s/report/run_folder.h"

namespace fleetk8s::cli {

namespace {

struct WatchArgs {
  ConnectionFlags conn;
  std::vector<std::string> extra_vars;
  std::string playbook_dir;
  std::string every = cluster::kDefaultWatchEveryText;
  std::string full_every;  // "": 10m (the cluster's check only)
  bool fix = false;
  int max_fix = 1;
  std::string metrics;
  std::string metrics_config;  // --metrics-config: a web config file (http/web_config.h)
  std::string playbook;
  std::string run_dir;
  int keep_runs = 50;
};

int fail(const Error& e) {
  report::print_error(e.message());
  return orchestrator::kClusterBadInput;
}

// The fleet of a playbook watch: every host of the inventory (--limit
// applied) and the playbook, compiled against them.
Result<cluster::WatchFleet> playbook_fleet(const WatchArgs& args, orchestrator::SessionPool& pool) {
  cluster::WatchFleet fleet;
  auto book = playbook::load_playbook(args.playbook);
  if (!book) return book.error();
  auto inv = inventory::Inventory::load(args.conn.inventory);
  if (!inv) return inv.error();
  fleet.inventory = std::make_unique<inventory::Inventory>(std::move(*inv));
  auto hosts = args.conn.limit.empty() ? fleet.inventory->select("all")
                                       : inventory::select_limit(*fleet.inventory, args.conn.limit);
  if (!hosts) return args.conn.limit.empty() ? hosts.error() : hosts.error().context("--limit " + args.conn.limit);
  fleet.hosts = *hosts;
  auto extra = parse_extra_vars(args.extra_vars);
  if (!extra) return extra.error();
  auto defaults = resolve(args.conn);
  if (!defaults) return defaults.error();
  auto targets = orchestrator::make_targets(*fleet.inventory, fleet.hosts, *defaults);
  if (!targets) return targets.error();
  fleet.targets = std::move(*targets);
  fleet.run_options.extra_vars = std::move(*extra);
  auto shared = std::make_shared<playbook::Playbook>(std::move(*book));
  // Every template and condition parsed now, before any host is contacted.
  auto quiet = report::make_text_reporter(stderr, 0);
  orchestrator::PlaybookEngine compiler(pool, *fleet.inventory, {}, fleet.run_options, *quiet);
  if (auto c = compiler.compile(*shared); !c) return c.error();
  fleet.book = std::move(shared);
  return fleet;
}

Result<cluster::WatchFleet> cluster_fleet(const WatchArgs& args) {
  auto in = read_cluster_input(args.conn, args.extra_vars, args.playbook_dir);
  if (!in) return in.error();
  cluster::WatchFleet fleet;
  fleet.inventory = std::move(in->inventory);
  fleet.roles = std::move(in->roles);
  fleet.options = std::move(in->options);
  fleet.options.command = "watch";
  fleet.options.lock_wait = std::chrono::seconds(0);  // a fix waits for no one: it comes back next cycle
  fleet.hosts = std::move(in->hosts);
  fleet.targets = std::move(in->targets);
  fleet.run_options.extra_vars = std::move(in->settings);
  fleet.run_options.smart_gathering = true;  // as the cluster commands: once per cycle
  return fleet;
}

// "2026-12-07T09:41:02Z watch: ..." on stdout, flushed (journald, a pipe).
void say(const std::string& line) {
  char stamp[32];
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
  std::fprintf(stdout, "%s %s\n", stamp, line.c_str());
  std::fflush(stdout);
}

// How the cluster's check uses fingerprints, for the first line.
std::string fingerprint_note(const WatchArgs& args, std::chrono::seconds every, std::chrono::seconds full_every) {
  if (!args.playbook.empty()) return "";
  if (full_every <= every) return " (every host in full)";
  return " (the control planes' health every cycle; a host in full when its fingerprint changes, else every " +
         (args.full_every.empty() ? std::string(cluster::kDefaultFullCheckEveryText) : args.full_every) + ")";
}

int run(const WatchArgs& args) {
  report::set_verbosity(args.conn.verbosity);
  auto every = cluster::parse_watch_every(args.every);
  if (!every) return fail(every.error());
  std::chrono::seconds full_every = cluster::kDefaultFullCheckEvery;
  if (!args.full_every.empty()) {
    if (!args.playbook.empty())
      return fail(Error(ErrorKind::kInvalidInput, "--full-check-every " + args.full_every +
                                                      ": fingerprints are the cluster's check's; a --playbook is "
                                                      "checked in full every cycle"));
    auto full = cluster::parse_full_check_every(args.full_every, *every, args.every);
    if (!full) return fail(full.error());
    full_every = *full;
  }
  if (args.fix && args.playbook.empty())
    if (auto answer = orchestrator::lock_answer_timeout(); !answer) return fail(answer.error());
  http::WebConfig web;
  if (!args.metrics_config.empty()) {
    if (args.metrics.empty())
      return fail(Error(ErrorKind::kInvalidInput, "--metrics-config " + args.metrics_config + ": it is for --metrics, not given"));
    auto loaded = http::load_web_config(args.metrics_config);
    if (!loaded) return fail(loaded.error());
    web = std::move(*loaded);
  }

  boost::asio::io_context io(1);
  auto transport = ssh::make_ssh_transport(io.get_executor(), [](const std::string& host, const std::string& m) {
    report::log_warn(host + ": " + m);
  });
  orchestrator::SessionPool pool(*transport, connect_pacing(args.conn));
  cluster::WatchSettings settings;
  settings.every = *every;
  settings.full_every = full_every;
  settings.fix = args.fix;
  settings.max_fix = args.max_fix;
  settings.verbosity = args.conn.verbosity;
  settings.runs_dir = args.run_dir.empty() ? report::default_runs_dir() : args.run_dir;
  settings.keep_runs = args.keep_runs;
  settings.argv = {"fleetk8s", "watch", args.conn.inventory};
  settings.watched_files = {args.conn.inventory};
  if (!args.playbook.empty()) settings.watched_files.push_back(args.playbook);
  const int forks = args.conn.forks;
  cluster::Watch watch(
      pool, settings,
      [&]() -> Result<cluster::WatchFleet> {
        auto fleet = args.playbook.empty() ? cluster_fleet(args) : playbook_fleet(args, pool);
        if (fleet) {
          fleet->run_options.forks = forks;
          fleet->run_options.connect = connect_pacing(args.conn);
          fleet->run_options.inventory_file = args.conn.inventory;
        }
        return fleet;
      },
      say);
  if (auto loaded = watch.load(); !loaded) return fail(loaded.error());
  if (auto files = check_open_files_for_engine(watch.fleet().targets, connect_pacing(args.conn).parallel); !files)
    return fail(files.error());

  std::unique_ptr<http::MetricsServer> metrics;
  std::string metrics_note;
  if (!args.metrics.empty()) {
    const bool authenticated = !web.basic_auth.empty();
    auto server = http::MetricsServer::listen(
        io.get_executor(), args.metrics,
        [&watch] { return cluster::prometheus_text(watch.hosts(), watch.last_cycle_seconds(), watch.cycles()); },
        std::move(web), say, args.metrics_config);
    metrics_note = "; metrics at " + (server ? (*server)->url() : std::string()) +
                   (authenticated ? " (basic authentication)" : "");
    if (!server) return fail(server.error());
    metrics = std::move(*server);
    metrics->start();
  }
  say("watch: " + std::to_string(watch.fleet().hosts.size()) + " hosts, " +
      (args.playbook.empty() ? std::string("the cluster's check") : args.playbook + " in check mode") + " every " +
      args.every + fingerprint_note(args, *every, full_every) + "; " +
      (args.fix ? "drift fixed, at most " + std::to_string(args.max_fix) + " host(s) at once"
                : std::string("drift reported, not fixed (--fix)")) +
      metrics_note);

  auto signals = on_interrupt(io, [&] {
    say("watch: stopping (the running tasks finish first; again to stop at once)");
    watch.stop();
  });
  boost::asio::signal_set hangup(io, SIGHUP);
  std::function<void()> on_hangup = [&] {
    hangup.async_wait([&](const boost::system::error_code& ec, int) {
      if (ec) return;
      say("watch: SIGHUP: reading the inventory again");
      watch.reload();
      on_hangup();
    });
  };
  on_hangup();
  int code = 0;
  boost::asio::co_spawn(
      io,
      [&]() -> ssh::Task<void> {
        code = co_await watch.run();
        if (metrics) metrics->stop();
        signals->cancel();
        boost::system::error_code ignored;
        hangup.cancel(ignored);
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  say("watch: stopped after " + std::to_string(watch.cycles()) + " cycle(s)");
  return code;
}

}  // namespace

Runner add_watch_command(CLI::App& app) {
  auto args = std::make_shared<WatchArgs>();
  auto* cmd = app.add_subcommand(
      "watch", "Check the cluster every few seconds over kept SSH sessions; report (and --fix) drift; serve metrics");
  add_connection_flags(*cmd, args->conn, true);
  cmd->add_option("-e,--extra-vars", args->extra_vars, "Cluster settings: key=value, a YAML/JSON mapping, or @FILE");
  cmd->add_option("--playbook-dir", args->playbook_dir, "Where fleetk8s' playbooks are (default: the installed ones)");
  cmd->add_option("--every", args->every, "From the start of one check cycle to the next (default 30s)");
  cmd->add_option("--full-check-every", args->full_every,
                  "The cluster's check: a host whose fingerprint (files, units, kernel state the check reads) is "
                  "unchanged is checked in full this often (default " + std::string(cluster::kDefaultFullCheckEveryText) +
                      "; equal to --every: every cycle)");
  cmd->add_flag("--fix", args->fix,
                "Correct the hosts whose OS preparation drifted (prepare.yml under the run lock; never kubeadm "
                "init, join or upgrade)");
  cmd->add_option("--max-fix", args->max_fix, "Hosts fixed at once (default 1)")->check(CLI::Range(1, 100000));
  cmd->add_option("--metrics", args->metrics,
                  "Serve Prometheus metrics at http://ADDRESS:PORT/metrics (127.0.0.1:9464)");
  cmd->add_option("--metrics-config", args->metrics_config,
                  "HTTPS and basic authentication for --metrics: a file as Prometheus exporters' --web.config.file "
                  "(tls_server_config: cert_file, key_file, client_auth_type, client_ca_file, min_version; "
                  "basic_auth_users: bcrypt hashes)");
  cmd->add_option("--playbook", args->playbook,
                  "Watch this playbook in check mode instead of the cluster (--fix runs it on the drifted hosts)");
  cmd->add_option("--run-dir", args->run_dir,
                  "Where run folders go (default: $XDG_STATE_HOME/fleetk8s/runs or ~/.local/state/fleetk8s/runs)");
  cmd->add_option("--keep-runs", args->keep_runs, "Run folders kept (older ones are removed)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->footer(
      "Runs until SIGTERM or Ctrl-C (the running tasks finish; a second one stops at once); SIGHUP or a\n"
      "change to the inventory file reads it again. A line is printed for what is new: drift (a host\n"
      "and task), a problem, a host lost or back, a fix; -v prints every cycle. Cycles that found\n"
      "something new leave a run folder. Exit status: 0 stopped, 1 bad input (nothing contacted).");
  return [args]() { return run(*args); };
}

}  // namespace fleetk8s::cli
