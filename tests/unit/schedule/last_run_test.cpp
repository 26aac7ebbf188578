#include <catch2/catch.hpp>

#include "fleetk8s/schedule/last_run.h"

using fleetk8s::Value;
using fleetk8s::schedule::describe_last_run;
using Lines = std::vector<std::string>;

TEST_CASE("the last run's summary in three lines") {
  Value s;
  s["command"] = "up";
  s["exit_code"] = 3;
  s["ok"] = false;
  s["finished"] = "2026-11-26T04:30:43.120Z";
  s["duration_ms"] = 41234;
  s["totals"]["hosts"] = 4;
  s["totals"]["ok"] = 2;
  s["totals"]["changed"] = 1;
  s["totals"]["failed"] = 1;
  s["totals"]["unreachable"] = 0;
  s["totals"]["not_run"] = 0;
  Value failed, fine;
  failed["name"] = "worker02";
  failed["outcome"] = "failed";
  failed["failed_task"] = "Swap off now";
  failed["message"] = "swapoff: Operation not permitted\nmore detail";
  fine["name"] = "cp1";
  fine["outcome"] = "ok";
  s["hosts"] = Value::Array{fine, failed};
  CHECK(describe_last_run(s) ==
        Lines{"up exited 3 (failed) at 2026-11-26T04:30:43.120Z after 41.2s",
              "hosts: 4: 2 ok, 1 changed, 1 failed, 0 unreachable, 0 not run",
              "worker02 failed in \"Swap off now\": swapoff: Operation not permitted"});
}

TEST_CASE("a summary with less in it gives less") {
  Value s;
  s["command"] = "check";
  s["started"] = "2026-11-26T04:00:00.000Z";
  CHECK(describe_last_run(s) == Lines{"check did not finish, started 2026-11-26T04:00:00.000Z"});
  CHECK(describe_last_run(Value("not an object")).empty());
}
