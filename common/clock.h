// clock: the seam through which every part of ballotbox reads the time.
//
// Production uses system_clock_source (the kernel's wall clock). Tests and training days use
// manual_clock (set and advanced by hand) or a scaled clock built on top of a base clock, so
// a whole poll day runs in seconds. Nothing in ballotbox calls std::chrono::system_clock
// directly.
//
// Thread safety: system_clock_source and manual_clock may be read from any thread;
// manual_clock's setters are safe to call concurrently with now().
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace ballotbox {

using time_point = std::chrono::sys_time<std::chrono::microseconds>;

class clock_source {
  public:
    virtual ~clock_source() = default;
    virtual time_point now() const = 0;
};

class system_clock_source final : public clock_source {
  public:
    time_point now() const override {
        return std::chrono::time_point_cast<std::chrono::microseconds>(
            std::chrono::system_clock::now());
    }
};

class manual_clock final : public clock_source {
  public:
    explicit manual_clock(time_point start) : micros_(start.time_since_epoch().count()) {}
    time_point now() const override {
        return time_point(std::chrono::microseconds(micros_.load()));
    }
    void set(time_point t) { micros_.store(t.time_since_epoch().count()); }
    void advance(std::chrono::microseconds d) { micros_.fetch_add(d.count()); }

  private:
    std::atomic<std::int64_t> micros_;
};

}  // namespace ballotbox
