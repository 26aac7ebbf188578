#include <catch2/catch.hpp>

#include "fleetk8s/core/duration.h"

using fleetk8s::parse_duration;
using namespace std::chrono_literals;

TEST_CASE("durations as admins write them") {
  CHECK(*parse_duration("90") == 90s);
  CHECK(*parse_duration("30s") == 30s);
  CHECK(*parse_duration("10m") == 600s);
  CHECK(*parse_duration("15min") == 900s);
  CHECK(*parse_duration("1h30m") == 5400s);
  CHECK(*parse_duration("2d") == 172800s);
  CHECK(*parse_duration("0") == 0s);
  CHECK(*parse_duration("366d") == 31622400s);  // a year, the longest
  CHECK(*parse_duration("365d24h") == 31622400s);
}

TEST_CASE("bad durations are refused with what was expected") {
  // Past a year is refused: 999999999d in nanoseconds (a deadline from now) overflowed int64.
  for (const char* bad : {"", "m", "10x", "1h30", "-5", "1.5h", "10 m", "99999999999s", "999999999d", "367d", "200d200d",
                          "31622401"}) {
    auto r = parse_duration(bad);
    INFO(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().kind() == fleetk8s::ErrorKind::kInvalidInput);
    CHECK_THAT(r.error().message(), Catch::Contains("expected a duration such as 30s"));
  }
}
