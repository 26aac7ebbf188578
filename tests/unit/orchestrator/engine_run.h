// Runs a PlaybookEngine to the end on its own io_context, for unit tests:
// run(book), then close(). The targets for a list of host names, and a
// reporter that keeps nothing (override what a test looks at).
#pragma once

#include <initializer_list>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>

#include "fleetk8s/orchestrator/playbook_engine.h"
#include "fleetk8s/playbook/model.h"

namespace fleetk8s::testing {

struct QuietReporter : report::PlaybookReporter {
  void play_start(const std::string&) override {}
  void task_start(const std::string&, const std::string&) override {}
  void task_result(const report::TaskResultEvent&) override {}
  void message(const std::string&) override {}
  void recap(const std::vector<std::pair<std::string, report::HostStats>>&) override {}
};

inline std::vector<orchestrator::ExecTarget> targets_named(std::initializer_list<const char*> names) {
  std::vector<orchestrator::ExecTarget> targets;
  for (const char* h : names) {
    orchestrator::ExecTarget target;
    target.connect.name = h;
    targets.push_back(target);
  }
  return targets;
}

inline Result<void> run_to_end(orchestrator::PlaybookEngine& engine, const playbook::Playbook& book) {
  boost::asio::io_context io;
  auto fut = boost::asio::co_spawn(
      io,
      [&]() -> ssh::Task<Result<void>> {
        auto r = co_await engine.run(book);
        co_await engine.close();
        co_return r;
      },
      boost::asio::use_future);
  io.run();
  return fut.get();
}

}  // namespace fleetk8s::testing
