// result<T>: the value of an operation that can fail, or the error that says why.
//
// Errors cross module boundaries as values, never as exceptions. An error carries a stable
// machine-readable code ("ledger.entry_hash_mismatch": module, dot, snake_case reason) that
// tests, logs and the control protocol key on, and a message written for the person in
// front of the machine. result<void> is spelled status.
//
// Thread safety: a plain value type. Accessing value() of an error result is a programming
// error and aborts (it is checked, not undefined).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace ballotbox {

struct error {
    std::string code;     // stable id, "module.reason"
    std::string message;  // human-readable, specific: what is wrong and what to do

    friend bool operator==(const error&, const error&) = default;
};

inline error make_error(std::string code, std::string message) {
    return error{std::move(code), std::move(message)};
}

namespace detail {
[[noreturn]] inline void bad_result_access(const error& e) {
    std::fprintf(stderr, "ballotbox: value() of a failed result: %s: %s\n", e.code.c_str(),
                 e.message.c_str());
    std::abort();
}
}  // namespace detail

template <class T>
class [[nodiscard]] result {
  public:
    result(T value) : state_(std::in_place_index<0>, std::move(value)) {}
    result(error e) : state_(std::in_place_index<1>, std::move(e)) {}

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & {
        check();
        return std::get<0>(state_);
    }
    const T& value() const& {
        check();
        return std::get<0>(state_);
    }
    T&& value() && {
        check();
        return std::get<0>(std::move(state_));
    }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    const error& err() const { return std::get<1>(state_); }

  private:
    void check() const {
        if (!ok())
            detail::bad_result_access(std::get<1>(state_));
    }
    std::variant<T, error> state_;
};

template <>
class [[nodiscard]] result<void> {
  public:
    result() = default;
    result(error e) : error_(std::move(e)), failed_(true) {}

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const error& err() const { return error_; }

  private:
    error error_;
    bool failed_ = false;
};

using status = result<void>;

inline status ok_status() {
    return status{};
}

}  // namespace ballotbox

// Propagates a failed result/status out of the enclosing function.
#define BALLOTBOX_TRY(expr)                     \
    do {                                        \
        auto&& ballotbox_try_result_ = (expr);  \
        if (!ballotbox_try_result_.ok())        \
            return ballotbox_try_result_.err(); \
    } while (0)

#define BALLOTBOX_CONCAT_INNER_(a, b) a##b
#define BALLOTBOX_CONCAT_(a, b) BALLOTBOX_CONCAT_INNER_(a, b)
#define BALLOTBOX_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
    auto tmp = (expr);                                   \
    if (!tmp.ok())                                       \
        return tmp.err();                                \
    lhs = std::move(tmp).value()

// Evaluates a result-returning expression; on failure returns its error from the enclosing
// function, otherwise assigns (or declares, with `auto x`) lhs from its value.
#define BALLOTBOX_ASSIGN_OR_RETURN(lhs, expr) \
    BALLOTBOX_ASSIGN_OR_RETURN_IMPL_(BALLOTBOX_CONCAT_(ballotbox_result_, __LINE__), lhs, expr)
