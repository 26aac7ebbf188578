// An EventBuffer passes its events on later, each with the time it happened.
#include <catch2/catch.hpp>

#include <thread>

#include "fleetk8s/report/event_buffer.h"
#include "fleetk8s/report/run_record.h"

using namespace fleetk8s;
using namespace fleetk8s::report;

TEST_CASE("a replayed run is recorded with the times its events happened, not the replay's", "[report][buffer]") {
  EventBuffer buffer;
  const auto before = Clock::now();
  buffer.phase(1, 2, "Connect");
  buffer.task_start("TASK", "ping");
  TaskResultEvent e;
  e.host = "web1";
  e.status = TaskStatus::kChanged;
  buffer.task_result(e);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  buffer.phase(2, 2, "Report");
  buffer.recap({{"web1", HostStats{}}});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));

  RunRecord record;
  auto recorder = make_run_recorder(record);
  const auto replayed_at = Clock::now();
  buffer.replay(*recorder);
  REQUIRE(record.phases.size() == 2);
  CHECK(record.phases[0].start >= before);
  CHECK(record.phases[0].start < replayed_at);
  CHECK(record.phases[1].start - record.phases[0].start >= std::chrono::milliseconds(50));
  CHECK(record.phases[1].start < replayed_at);
  REQUIRE(record.tasks.size() == 1);
  CHECK(record.tasks[0].hosts.at("web1").status == TaskStatus::kChanged);
  CHECK(event_time() >= replayed_at);  // outside a replay: now
}
