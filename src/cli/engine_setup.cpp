#include "engine_setup.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>

#include "interrupt.h"
#include "open_files.h"
#include "fleetk8s/report/exec_report.h"
#include "fleetk8s/report/html_report.h"
#include "fleetk8s/report/json_report.h"
#include "fleetk8s/report/log.h"
#include "fleetk8s/report/private_file.h"
#include "fleetk8s/report/progress_reporter.h"

namespace fleetk8s::cli {

namespace {

namespace fs = std::filesystem;

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// The command line, with the values of secret-looking variables
// (`-e db_password=x`, `{"api_token": "x"}`) masked: a command line is no
// place for secrets, but one that is there stays out of the run folder and
// the reports.
std::vector<std::string> command_line() {
  static const std::regex secret_value(
      R"(((?:^|[\s,{])["']?\w*(?:pass|secret|token|key)\w*["']?\s*[=:]\s*["']?)([^\s,}"']+))", std::regex::icase);
  std::ifstream f("/proc/self/cmdline", std::ios::binary);
  std::vector<std::string> argv;
  for (std::string arg; std::getline(f, arg, '\0');) argv.push_back(std::regex_replace(arg, secret_value, "$1********"));
  return argv;
}

// 0600 from the start, replaced whole, never through a symbolic link.
Result<void> write_report(const std::string& path, const report::RunRecord& record) {
  const std::string text = ends_with(path, ".html") ? report::html_report(record) : report::json_report(record);
  return report::write_private_file(path, text);
}

}  // namespace

void add_report_flags(CLI::App& cmd, ReportFlags& flags) {
  cmd.add_option("--report", flags.reports, "Write a report: FILE.json (for monitoring) or FILE.html (repeatable)")
      ->check([](const std::string& path) -> std::string {
        if (ends_with(path, ".json") || ends_with(path, ".html")) return "";
        return "'" + path + "': the report's file name must end in .json or .html";
      });
  cmd.add_option("--run-dir", flags.run_dir,
                 "Where run folders go (default: $XDG_STATE_HOME/fleetk8s/runs or ~/.local/state/fleetk8s/runs)");
  cmd.add_option("--keep-runs", flags.keep_runs, "Run folders kept (older ones are removed)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd.add_flag("--no-progress", flags.no_progress, "Plain line output even on a terminal");
}

Reporting::Reporting(const ReportFlags& flags, int verbosity, report::RunInfo info, std::vector<std::string> hosts)
    : flags_(flags) {
  info.argv = command_line();
  const bool live = !flags.no_progress && report::can_redraw(stdout);
  terminal_ = live ? report::make_progress_reporter(stdout, verbosity) : report::make_text_reporter(stdout, verbosity);
  record_.info = std::move(info);
  record_.hosts = std::move(hosts);
  recorder_ = report::make_run_recorder(record_);
  fanout_.add(*terminal_);
  fanout_.add(*recorder_);
}

void Reporting::begin() {
  if (begun_) return;
  begun_ = true;
  record_.start = report::Clock::now();
  auto folder = report::RunFolder::create(flags_.run_dir.empty() ? report::default_runs_dir() : flags_.run_dir,
                                          record_.info.command, record_.info.argv);
  if (!folder) {
    report::log_warn(folder.error().message() + "; the run goes on without a run folder");
    return;
  }
  folder_ = std::move(*folder);
  record_.info.run_dir = folder_->path();
  fanout_.add(*folder_);
}

Reporting::~Reporting() = default;

int Reporting::finish(int exit_code) {
  if (!begun_) return exit_code;
  record_.exit_code = exit_code;
  if (record_.end == report::Clock::time_point{}) record_.end = report::Clock::now();
  if (folder_) folder_->finish(report::json_report(record_), flags_.keep_runs);
  int code = exit_code;
  for (const auto& path : flags_.reports) {
    if (auto w = write_report(path, record_); !w) {
      report::print_error(w.error().message());
      if (code == 0) code = report::kExitBadInput;
    }
  }
  return code;
}

Result<int> run_engine(const inventory::Inventory& inventory, std::vector<orchestrator::ExecTarget> targets,
                       orchestrator::RunOptions options, report::PlaybookReporter& reporter,
                       const std::function<Result<void>(orchestrator::PlaybookEngine&)>& prepare,
                       const std::function<ssh::Task<Result<int>>(orchestrator::PlaybookEngine&)>& body) {
  if (auto files = check_open_files_for_engine(targets, options.connect.parallel); !files) return files.error();
  boost::asio::io_context io(1);
  auto transport = ssh::make_ssh_transport(io.get_executor(), [](const std::string& host, const std::string& m) {
    report::log_warn(host + ": " + m);
  });
  orchestrator::PlaybookEngine engine(*transport, inventory, std::move(targets), std::move(options), reporter);
  if (prepare) {
    if (auto p = prepare(engine); !p) return p.error();
  }
  Result<int> outcome = 0;
  auto signals = on_interrupt(
      io, [&engine] { engine.stop(); },
      [&engine, &reporter] {
        std::fprintf(stderr, "\nfleetk8s: interrupted again: stopping now, without waiting for the tasks still "
                             "running on the hosts\n");
        reporter.recap(engine.stats());
      });
  boost::asio::co_spawn(
      io,
      [&]() -> ssh::Task<void> {
        outcome = co_await body(engine);
        co_await engine.close();
        signals->cancel();
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  if (!outcome) return outcome.error();
  reporter.recap(engine.stats());
  return *outcome;
}

}  // namespace fleetk8s::cli
