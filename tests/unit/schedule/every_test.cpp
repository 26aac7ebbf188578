#include <catch2/catch.hpp>

#include "fleetk8s/schedule/every.h"

using fleetk8s::schedule::Every;
using fleetk8s::schedule::format_span;
using fleetk8s::schedule::parse_every;
using namespace std::chrono_literals;

TEST_CASE("every: time spans as admins write them") {
  struct Case {
    const char* text;
    std::chrono::seconds want;
    const char* shown;
  };
  for (const Case& c : {Case{"30m", 1800s, "30min"}, Case{"1h", 3600s, "1h"}, Case{"2h30m", 9000s, "2h 30min"},
                        Case{"15min", 900s, "15min"}, Case{"2h 30min", 9000s, "2h 30min"}, Case{" 1d ", 86400s, "1d"},
                        Case{"90s", 90s, "1min 30s"}}) {
    INFO(c.text);
    auto e = parse_every(c.text);
    REQUIRE(e);
    CHECK(e->kind == Every::Kind::kInterval);
    CHECK(e->interval == c.want);
    CHECK(e->text() == c.shown);
  }
}

TEST_CASE("every: systemd calendar expressions") {
  for (const char* text : {"hourly", "Daily", "*:0/15", "Mon..Fri 02:00", "02:30", "*-*-01 04:00:00", "Sun",
                           "Sat,Sun 03:00 UTC", "quarterly"}) {
    INFO(text);
    auto e = parse_every(text);
    REQUIRE(e);
    CHECK(e->kind == Every::Kind::kCalendar);
    CHECK(e->calendar == text);
    CHECK(e->text() == text);
  }
}

TEST_CASE("every: bad values say what was expected") {
  for (const char* text : {"", "soon", "30x", "1h30", "every hour", "1.5h", "30m;reboot"}) {
    INFO(text);
    auto e = parse_every(text);
    REQUIRE_FALSE(e);
    CHECK(e.error().kind() == fleetk8s::ErrorKind::kInvalidInput);
    CHECK_THAT(e.error().message(), Catch::Contains("expected a time span (30m, 1h, 2h30m, 15min) or a systemd "
                                                    "calendar expression"));
  }
  auto bare = parse_every("30");
  REQUIRE_FALSE(bare);
  CHECK(bare.error().message() == "--every 30: give a unit: 30m for minutes, 30h for hours");
  auto fast = parse_every("30s");
  REQUIRE_FALSE(fast);
  CHECK_THAT(fast.error().message(), Catch::StartsWith("--every 30s: runs more often than once a minute are refused"));
  CHECK(parse_every("1m"));
}

TEST_CASE("spans are written in systemd's notation") {
  CHECK(format_span(0s) == "0");
  CHECK(format_span(59s) == "59s");
  CHECK(format_span(3600s) == "1h");
  CHECK(format_span(93784s) == "1d 2h 3min 4s");
}
