#include "renderer.h"

#include <utility>
#include <vector>

#include "builtin_util.h"
#include "eval.h"
#include "python_repr.h"

namespace fleetk8s::tmpl::detail {
namespace {

// The variables a template block adds: loop targets (borrowed from the
// iterated list) and {% set %} results (owned), over the enclosing scope.
class Frame final : public Scope {
 public:
  explicit Frame(const Scope& parent) : parent_(parent) {}

  const Value* lookup(std::string_view name) const override {
    for (const auto& [bound, value] : borrowed_) {
      if (bound == name) return value;
    }
    auto it = owned_.find(std::string(name));
    if (it != owned_.end()) return &it->second;
    return parent_.lookup(name);
  }

  bool has_member_lookup(std::string_view name) const override {
    for (const auto& [bound, value] : borrowed_) {
      if (bound == name) return false;
    }
    return !owned_.count(std::string(name)) && parent_.has_member_lookup(name);
  }
  const Value* lookup_member(std::string_view name, const std::string& key) const override {
    return parent_.lookup_member(name, key);
  }

  // REQUIRES: `value` outlives the frame.
  void bind(std::string_view name, const Value& value) {
    owned_.erase(std::string(name));
    borrowed_.emplace_back(name, &value);
  }

  void set(std::string_view name, Value value) {
    for (auto it = borrowed_.begin(); it != borrowed_.end(); ++it) {
      if (it->first == name) {
        borrowed_.erase(it);
        break;
      }
    }
    owned_[std::string(name)] = std::move(value);
  }

 private:
  const Scope& parent_;
  std::vector<std::pair<std::string_view, const Value*>> borrowed_;
  Value::Object owned_;
};

class Renderer {
 public:
  explicit Renderer(const Source& source) : source_(source) {}

  Result<void> body(const Body& statements, Frame& frame, std::string& out) const {
    for (const auto& s : statements) {
      Result<void> r;
      switch (s.kind) {
        case Statement::Kind::kText: out += s.text; break;
        case Statement::Kind::kOutput: r = output(s, frame, out); break;
        case Statement::Kind::kIf: r = if_block(s, frame, out); break;
        case Statement::Kind::kFor: r = for_block(s, frame, out); break;
        case Statement::Kind::kSet: r = set_block(s, frame); break;
      }
      if (!r) return r;
    }
    return {};
  }

 private:
  Result<void> output(const Statement& s, const Scope& scope, std::string& out) const {
    auto v = Evaluator(scope, source_).eval(*s.expr);
    if (!v) return v.error();
    if (!v->is_defined()) {
      if (v->undefined().lenient) return {};
      return Evaluator(scope, source_).undefined_error(v->undefined());
    }
    out += output_text(v->value());
    return {};
  }

  Result<void> if_block(const Statement& s, Frame& frame, std::string& out) const {
    Evaluator ev(frame, source_);
    for (size_t i = 0; i < s.conditions.size(); ++i) {
      auto holds = ev.truth(*s.conditions[i]);
      if (!holds) return holds.error();
      if (*holds) return body(s.bodies[i], frame, out);
    }
    return body(s.else_body, frame, out);
  }

  // Binds `targets` to `item`, unpacking it when there are several.
  Result<void> bind(const Statement& s, Frame& frame, const Value& item) const {
    if (s.targets.size() == 1) {
      frame.bind(s.targets[0], item);
      return {};
    }
    auto parts = iterate(item);
    if (!parts) return source_.error(s.pos, "cannot unpack: " + parts.error().message());
    const auto& values = parts->items();
    if (values.size() != s.targets.size()) {
      return source_.error(s.pos, std::string(values.size() > s.targets.size() ? "too many" : "not enough") +
                                      " values to unpack (expected " + std::to_string(s.targets.size()) + ", got " +
                                      std::to_string(values.size()) + ")");
    }
    for (size_t i = 0; i < values.size(); ++i) {
      if (item.is_array()) frame.bind(s.targets[i], values[i]);
      else frame.set(s.targets[i], values[i]);
    }
    return {};
  }

  Result<void> for_block(const Statement& s, Frame& frame, std::string& out) const {
    Evaluator ev(frame, source_);
    auto iterable = ev.eval(*s.expr);  // kept alive: items may borrow from it
    if (!iterable) return iterable.error();
    if (!iterable->is_defined()) return ev.undefined_error(iterable->undefined());
    auto items = iterate(iterable->value());
    if (!items) return source_.error(s.expr->pos, items.error().message());
    // The loop filter runs first: loop.length and friends count what passes.
    std::vector<const Value*> selected;
    for (const auto& item : items->items()) {
      if (s.filter) {
        Frame probe(frame);
        if (auto r = bind(s, probe, item); !r) return r;
        auto keep = Evaluator(probe, source_).truth(*s.filter);
        if (!keep) return keep.error();
        if (!*keep) continue;
      }
      selected.push_back(&item);
    }
    if (selected.empty()) return body(s.else_body, frame, out);
    auto length = static_cast<std::int64_t>(selected.size());
    for (std::int64_t i = 0; i < length; ++i) {
      Frame iteration(frame);
      if (auto r = bind(s, iteration, *selected[static_cast<size_t>(i)]); !r) return r;
      Value::Object loop{
          {"index", Value(i + 1)},          {"index0", Value(i)},
          {"revindex", Value(length - i)},  {"revindex0", Value(length - i - 1)},
          {"first", Value(i == 0)},         {"last", Value(i == length - 1)},
          {"length", Value(length)},        {"depth", Value(1)},
          {"depth0", Value(0)},
      };
      if (i > 0) loop.emplace("previtem", *selected[static_cast<size_t>(i - 1)]);
      if (i + 1 < length) loop.emplace("nextitem", *selected[static_cast<size_t>(i + 1)]);
      iteration.set("loop", Value(std::move(loop)));
      if (auto r = body(s.body, iteration, out); !r) return r;
    }
    return {};
  }

  Result<void> set_block(const Statement& s, Frame& frame) const {
    Value value;
    if (s.expr) {
      auto v = Evaluator(frame, source_).value(*s.expr);
      if (!v) return v.error();
      value = std::move(*v);
    } else {
      std::string text;
      Frame inner(frame);
      if (auto r = body(s.body, inner, text); !r) return r;
      value = Value(std::move(text));
    }
    if (s.targets.size() == 1) {
      frame.set(s.targets[0], std::move(value));
      return {};
    }
    auto parts = iterate(value);
    if (!parts || parts->items().size() != s.targets.size()) {
      return source_.error(s.pos, "cannot unpack the value into " + std::to_string(s.targets.size()) + " variables");
    }
    for (size_t i = 0; i < s.targets.size(); ++i) frame.set(s.targets[i], parts->items()[i]);
    return {};
  }

  const Source& source_;
};

size_t trailing_newlines(const std::string& s) {
  size_t n = 0;
  while (n < s.size() && s[s.size() - 1 - n] == '\n') ++n;
  return n;
}

}  // namespace

std::string output_text(const Value& v) {
  if (v.is_null()) return "";
  return py_str(v);
}

Result<Value> render_template(const ParsedTemplate& parsed, const Scope& scope) {
  if (parsed.single_expression) {
    Evaluator ev(scope, parsed.source);
    auto v = ev.eval(*parsed.body[0].expr);
    if (!v) return v.error();
    if (!v->is_defined()) {
      if (v->undefined().lenient) return Value("");
      return ev.undefined_error(v->undefined());
    }
    return std::move(*v).take();
  }
  std::string out;
  Frame top(scope);
  if (auto r = Renderer(parsed.source).body(parsed.body, top, out); !r) return r.error();
  // Ansible restores the newlines that ended the template text.
  size_t have = trailing_newlines(out);
  if (parsed.trailing_newlines > have) out.append(parsed.trailing_newlines - have, '\n');
  return Value(std::move(out));
}

}  // namespace fleetk8s::tmpl::detail
