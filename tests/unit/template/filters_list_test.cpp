// List filters (expected values checked against ansible-core 2.14).
#include "template_test_util.h"

using namespace tmpl_test;

TEST_CASE("filters: length and count count characters, items and keys", "[template][filters]") {
  CHECK(eval("'h\xC3\xA9llo' | length") == Value(5));
  CHECK(eval("lst | length") == Value(3));
  CHECK(eval("d | count") == Value(2));
  CHECK(eval("[] | length") == Value(0));
}

TEST_CASE("filters: first and last", "[template][filters]") {
  CHECK(eval("lst | first") == Value("a"));
  CHECK(eval("lst | last") == Value("c"));
  CHECK(eval("'abc' | first") == Value("a"));
  CHECK(eval("'abc' | last") == Value("c"));
  CHECK(eval("d | first") == Value("k"));
  CHECK(eval("(users | first).name") == Value("alice"));
}

TEST_CASE("filters: unique is case-insensitive by default", "[template][filters]") {
  CHECK(eval("['a', 'A', 'b', 'a'] | unique") == lit("['a', 'b']"));
  CHECK(eval("['a', 'A'] | unique(case_sensitive=true)") == lit("['a', 'A']"));
  CHECK(eval("[1, 1.0, true, 2] | unique") == lit("[1, 2]"));
  CHECK(eval("[{'a': 1}, {'a': 1}, {'a': 2}] | unique") == lit("[{'a': 1}, {'a': 2}]"));
  CHECK(eval("(users + users) | unique(attribute='name') | length") == Value(2));
}

TEST_CASE("filters: sort", "[template][filters]") {
  CHECK(eval("nums | sort") == lit("[1, 2, 3]"));
  CHECK(eval("['b', 'A', 'c'] | sort") == lit("['A', 'b', 'c']"));
  CHECK(eval("['b', 'A', 'c'] | sort(case_sensitive=true)") == lit("['A', 'b', 'c']"));
  CHECK(eval("['b', 'a', 'C'] | sort(case_sensitive=true)") == lit("['C', 'a', 'b']"));
  CHECK(eval("nums | sort(reverse=true)") == lit("[3, 2, 1]"));
  CHECK(eval("users | sort(attribute='name', reverse=true) | map(attribute='name') | list") == lit("['bob', 'alice']"));
  CHECK(eval("[{'a': 2, 'b': 1}, {'a': 1, 'b': 2}, {'a': 1, 'b': 1}] | sort(attribute='a,b')") ==
        lit("[{'a': 1, 'b': 1}, {'a': 1, 'b': 2}, {'a': 2, 'b': 1}]"));
  CHECK(eval("d | sort") == lit("['k', 'n']"));
  // Stable: equal keys keep their order, also when reversed.
  CHECK(eval("[{'k': 1, 'i': 0}, {'k': 0, 'i': 1}, {'k': 1, 'i': 2}] | sort(attribute='k', reverse=true) | map(attribute='i') | list") ==
        lit("[0, 2, 1]"));
}

TEST_CASE("filters: reverse and list", "[template][filters]") {
  CHECK(eval("nums | reverse | list") == lit("[2, 1, 3]"));
  CHECK(eval("'abc' | reverse") == Value("cba"));
  CHECK(eval("d | list") == lit("['k', 'n']"));
  CHECK(eval("'ab' | list") == lit("['a', 'b']"));
  CHECK(eval("lst | list") == lit("['a', 'b', 'c']"));
  CHECK(eval_error("n | list") == "x.yml:14:13: filter 'list': 'int' object is not iterable");
}

TEST_CASE("filters: min, max, sum", "[template][filters]") {
  CHECK(eval("nums | min") == Value(1));
  CHECK(eval("nums | max") == Value(3));
  CHECK(eval("['B', 'a'] | max") == Value("B"));
  CHECK(eval("['B', 'a'] | max(case_sensitive=true)") == Value("a"));
  CHECK(eval("(users | max(attribute='uid')).name") == Value("bob"));
  CHECK(eval("nums | sum") == Value(6));
  CHECK(eval("[1.5, 2] | sum") == Value(3.5));
  CHECK(eval("users | sum(attribute='uid')") == Value(2001));
  CHECK(eval("[[1], [2]] | sum(start=[])") == lit("[1, 2]"));
}

TEST_CASE("filters: flatten", "[template][filters]") {
  CHECK(eval("[1, [2, [3, [4]]]] | flatten") == lit("[1, 2, 3, 4]"));
  CHECK(eval("[1, [2, [3]]] | flatten(levels=1)") == lit("[1, 2, [3]]"));
  CHECK(eval("[1, none, 'None', 'null', [2]] | flatten") == lit("[1, 2]"));
  CHECK(eval("[1, none, [2]] | flatten(skip_nulls=false)") == lit("[1, none, 2]"));
}

TEST_CASE("filters: set theory keeps order and drops duplicates", "[template][filters]") {
  CHECK(eval("[1, 2, 3, 2] | intersect([2, 3, 4])") == lit("[2, 3]"));
  CHECK(eval("[1, 2, 3, 1] | difference([2])") == lit("[1, 3]"));
  CHECK(eval("[1, 2] | union([2, 3])") == lit("[1, 2, 3]"));
  CHECK(eval("[1, 2] | symmetric_difference([2, 3])") == lit("[1, 3]"));
}

TEST_CASE("filters: zip", "[template][filters]") {
  CHECK(eval("[1, 2, 3] | zip(['a', 'b'])") == lit("[[1, 'a'], [2, 'b']]"));
  CHECK(eval("[1, 2] | zip(['a', 'b'], [true, false])") == lit("[[1, 'a', true], [2, 'b', false]]"));
}
