#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "fleetk8s/core/number.h"

using fleetk8s::truncate_to_int64;
using fleetk8s::whole_int64;

TEST_CASE("truncate_to_int64 is Python's int() inside int64, nothing outside", "[core][number]") {
  CHECK(truncate_to_int64(7.9) == 7);
  CHECK(truncate_to_int64(-7.9) == -7);
  CHECK(truncate_to_int64(-9223372036854775808.0) == INT64_MIN);
  CHECK(truncate_to_int64(9223372036854774784.0) == 9223372036854774784);  // the last double below 2^63
  CHECK_FALSE(truncate_to_int64(9223372036854775808.0));
  CHECK_FALSE(truncate_to_int64(-9223372036854777856.0));  // the first double below -2^63
  CHECK_FALSE(truncate_to_int64(1e300));
  CHECK_FALSE(truncate_to_int64(std::numeric_limits<double>::infinity()));
  CHECK_FALSE(truncate_to_int64(-std::numeric_limits<double>::infinity()));
  CHECK_FALSE(truncate_to_int64(std::nan("")));
}

TEST_CASE("whole_int64 takes whole numbers only", "[core][number]") {
  CHECK(whole_int64(443.0) == 443);
  CHECK(whole_int64(-0.0) == 0);
  CHECK_FALSE(whole_int64(1.5));
  CHECK_FALSE(whole_int64(1e300));
  CHECK_FALSE(whole_int64(std::nan("")));
}

TEST_CASE("python_float_repr writes floats as Python's repr and json.dumps do", "[core][number]") {
  CHECK(fleetk8s::python_float_repr(0.1) == "0.1");
  CHECK(fleetk8s::python_float_repr(1.0) == "1.0");
  CHECK(fleetk8s::python_float_repr(-0.0) == "-0.0");
  CHECK(fleetk8s::python_float_repr(1e300) == "1e+300");
  CHECK(fleetk8s::python_float_repr(1e16) == "1e+16");
  CHECK(fleetk8s::python_float_repr(123456789012345.6) == "123456789012345.6");
  CHECK(fleetk8s::python_float_repr(0.0001) == "0.0001");
  CHECK(fleetk8s::python_float_repr(0.00001) == "1e-05");
  CHECK(fleetk8s::python_float_repr(std::nan("")) == "nan");
  CHECK(fleetk8s::python_float_repr(-std::numeric_limits<double>::infinity()) == "-inf");
}
