#include "tools/demo-driver/voter_day.h"

#include <unistd.h>

#include <atomic>
#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "crypto/random.h"
#include "tools/demo-driver/card_moves.h"
#include "tools/demo-driver/table_link.h"
#include "tools/demo-driver/vote_shares.h"

namespace ballotbox::demo {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

namespace {

std::string text_of(const boost::json::object& o, const char* key) {
    if (!o.contains(key) || !o.at(key).is_string())
        return {};
    return std::string(o.at(key).as_string());
}

std::string english(const boost::json::object& card, const char* key) {
    if (!card.contains(key) || !card.at(key).is_object())
        return {};
    return text_of(card.at(key).as_object(), "en");
}

// The random source of voter `i` (or of the forged card: i = voters): the seed and the
// number only, never the lanes' timing.
crypto::seeded_random source_for(std::uint64_t seed, std::uint64_t i) {
    return crypto::seeded_random(seed * 0x9E3779B97F4A7C15ULL + i + 1);
}

// What the lanes share: the counts, the last outcome, the first failure. Locked.
struct shared_state {
    std::mutex mutex;
    day_counts counts;
    std::string last;
    double busy_seconds = 0;
    std::optional<error> failure;
    std::atomic<bool> stop{false};
    bool tty = false;
};

class lane {
  public:
    lane(int index, int lanes, const day_options& o, const crypto::ed25519_private_key& booth,
         table_link link, reader_view view, shared_state& shared)
        : index_(index),
          lanes_(lanes),
          options_(o),
          booth_(booth),
          table_(table_slot(index)),
          booth_reader_(booth_slot(index)),
          link_(std::move(link)),
          view_(std::move(view)),
          shared_(shared) {}

    void run(clock_type::time_point start, std::int64_t usable, std::int64_t speed);

  private:
    result<std::pair<boost::json::object, cardsim::card_image>> present(cardsim::card_image image,
                                                                        bool cancel_it = false);
    status expect(const boost::json::object& card, const char* outcome);
    status one_voter(std::uint64_t i);
    status forged();
    status replayed();
    void say(const std::string& line);

    int index_, lanes_;
    const day_options& options_;
    const crypto::ed25519_private_key& booth_;
    reader_slot table_, booth_reader_;
    table_link link_;
    reader_view view_;
    shared_state& shared_;
    std::string last_;
    std::optional<cardsim::card_image> last_voted_;
    std::optional<cardio::issued_card> last_issued_;
};

result<std::pair<boost::json::object, cardsim::card_image>> lane::present(cardsim::card_image image,
                                                                          bool cancel_it) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto card, card_in_reader::insert(view_, table_, std::move(image)));
    BALLOTBOX_ASSIGN_OR_RETURN(auto report, link_.next_card(30s));
    if (cancel_it && text_of(report, "outcome") == "not_voted_yet") {
        // Several members may hold a card at once: the cancel names this table's reader.
        BALLOTBOX_TRY(link_.command({{"command", "cancel"}, {"reader", table_.name}}));
        BALLOTBOX_ASSIGN_OR_RETURN(report, link_.next_card(30s));
    }
    return std::pair{std::move(report), card->remove()};
}

status lane::expect(const boost::json::object& card, const char* outcome) {
    const auto got = text_of(card, "outcome");
    last_ =
        got +
        (card.contains("running_number") ? " #" + boost::json::serialize(card.at("running_number"))
                                         : std::string()) +
        (english(card, "headline").empty() ? "" : ": " + english(card, "headline"));
    {
        std::lock_guard lock(shared_.mutex);
        auto& c = shared_.counts;
        if (got == "issued")
            ++c.issued;
        else if (got == "accepted")
            ++c.cast;
        else if (got == "cancelled")
            ++c.cancelled;
        else if (got == "refused")
            ++c.refused;
        else if (got == "already_recorded")
            ++c.already_recorded;
        shared_.last = (lanes_ > 1 ? "lane " + std::to_string(index_ + 1) + ": " : "") + last_;
    }
    if (got != outcome)
        return make_error("demo.unexpected_outcome",
                          std::string("expected ") + outcome + " at " + table_.name +
                              ", the daemon said: " + boost::json::serialize(card));
    return ok_status();
}

status lane::one_voter(std::uint64_t i) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto issued, present(blank_card()));
    BALLOTBOX_TRY(expect(issued.first, "issued"));
    BALLOTBOX_ASSIGN_OR_RETURN(auto record, record_of(issued.second));
    const auto* card = std::get_if<cardio::issued_card>(&record);
    if (!card)
        return make_error("demo.unexpected_outcome", "the issued card holds no activation");
    last_issued_ = *card;
    // About one voter in a hundred (at least one) brings the card back unmarked.
    const std::uint64_t every =
        std::max<std::uint64_t>(2, std::min<std::uint64_t>(100, options_.voters));
    if (i % every == every / 2) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto back, present(issued.second, true));
        BALLOTBOX_TRY(expect(back.first, "cancelled"));
        say("voter " + std::to_string(i + 1) + " left without voting: " + last_ + " — " +
            english(back.first, "what_to_do"));
        return ok_status();
    }
    auto random = source_for(options_.seed, i);
    std::vector<cardio::ballot_choice> choices;
    for (const auto& slot : card->issue.style)
        choices.push_back(draw(random, weights_for(slot)));
    BALLOTBOX_ASSIGN_OR_RETURN(auto voted,
                               vote_at_booth(view_, booth_reader_, issued.second, booth_, choices));
    last_voted_ = voted;
    BALLOTBOX_ASSIGN_OR_RETURN(auto cast, present(voted));
    return expect(cast.first, "accepted");
}

status lane::forged() {
    if (!last_issued_)
        return ok_status();
    auto random = source_for(options_.seed, options_.voters);
    cardio::issued_card fake = *last_issued_;
    random.fill(fake.issue.token);
    random.fill(fake.mac);  // made without the appliance's key
    std::vector<cardio::ballot_choice> choices;
    for (const auto& slot : fake.issue.style)
        choices.push_back(draw(random, weights_for(slot)));
    BALLOTBOX_ASSIGN_OR_RETURN(
        auto voted, vote_at_booth(view_, booth_reader_, with_record(fake), booth_, choices));
    BALLOTBOX_ASSIGN_OR_RETURN(auto back, present(voted));
    BALLOTBOX_TRY(expect(back.first, "refused"));
    say("a forged card: " + last_ + " (" + text_of(back.first, "reason") + ") — " +
        english(back.first, "what_to_do"));
    return ok_status();
}

status lane::replayed() {
    if (!last_voted_)
        return ok_status();
    BALLOTBOX_ASSIGN_OR_RETURN(auto back, present(*last_voted_));
    BALLOTBOX_TRY(expect(back.first, "already_recorded"));
    say("a copy of a card already cast: " + last_ + " — " + english(back.first, "what_to_do"));
    return ok_status();
}

void lane::say(const std::string& line) {
    std::lock_guard lock(shared_.mutex);
    std::fprintf(stderr, "%s  %s\n", shared_.tty ? "\r\033[K" : "", line.c_str());
}

void lane::run(clock_type::time_point start, std::int64_t usable, std::int64_t speed) {
    const std::uint64_t n = options_.voters;
    for (std::uint64_t i = static_cast<std::uint64_t>(index_); i < n;
         i += static_cast<std::uint64_t>(lanes_)) {
        const auto due =
            start + std::chrono::microseconds(static_cast<std::int64_t>(i) * usable * 1000000 /
                                              static_cast<std::int64_t>(n) / speed);
        while (clock_type::now() < due && !shared_.stop)
            std::this_thread::sleep_until(std::min(due, clock_type::now() + 100ms));
        if (shared_.stop)
            return;
        const auto t0 = clock_type::now();
        status done = one_voter(i);
        if (done.ok() && i == n / 3)
            done = forged();
        if (done.ok() && i == (2 * n) / 3)
            done = replayed();
        std::lock_guard lock(shared_.mutex);
        shared_.busy_seconds += std::chrono::duration<double>(clock_type::now() - t0).count();
        if (!done.ok()) {
            if (!shared_.failure)
                shared_.failure = done.err();
            shared_.stop = true;
            return;
        }
        ++shared_.counts.voters;
    }
}

// The one progress bar over all lanes, on stderr.
class progress {
  public:
    progress(const day_options& o, shared_state& shared) : options_(o), shared_(shared) {}
    void show(const boost::json::object& status, bool force) {
        std::string now = text_of(status, "now_local");
        const std::string hhmm = now.size() >= 16 ? now.substr(11, 5) : "--:--";
        std::lock_guard lock(shared_.mutex);
        const auto& c = shared_.counts;
        const std::uint64_t done = c.voters, n = options_.voters;
        const int width = 30;
        const int filled = n ? static_cast<int>(done * width / n) : width;
        std::string bar = std::string(filled, '#') + std::string(width - filled, '.');
        char line[512];
        std::snprintf(
            line, sizeof line,
            "[%s] %s  voters %llu/%llu  issued %llu cast %llu cancelled %llu "
            "refused %llu  | last: %.60s",
            bar.c_str(), hhmm.c_str(), static_cast<unsigned long long>(done),
            static_cast<unsigned long long>(n), static_cast<unsigned long long>(c.issued),
            static_cast<unsigned long long>(c.cast), static_cast<unsigned long long>(c.cancelled),
            static_cast<unsigned long long>(c.refused + c.already_recorded), shared_.last.c_str());
        if (shared_.tty)
            std::fprintf(stderr, "\r\033[K%s", line);
        else if (force || done >= next_line_at_) {
            std::fprintf(stderr, "%s\n", line);
            next_line_at_ = done + std::max<std::uint64_t>(1, n / 10);
        }
    }

  private:
    const day_options& options_;
    shared_state& shared_;
    std::uint64_t next_line_at_ = 0;
};

}  // namespace

result<day_counts> run_voter_day(const day_options& options,
                                 const crypto::ed25519_private_key& booth_key) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto commands, command_link::connect(options.socket));
    BALLOTBOX_ASSIGN_OR_RETURN(auto probe, reader_view::open());
    BALLOTBOX_ASSIGN_OR_RETURN(const int available, probe.lanes_available());
    if (available == 0)
        return make_error("demo.no_readers", "PC/SC does not list the vpcd readers \"" +
                                                 table_slot(0).name + "\" and \"" +
                                                 booth_slot(0).name +
                                                 "\": is pcscd running with the vpcd driver?");
    const int lanes = options.lanes == 0 ? available : options.lanes;
    if (lanes > available)
        return make_error("demo.not_enough_readers",
                          std::to_string(lanes) + " lanes need " + std::to_string(2 * lanes) +
                              " vpcd readers, PC/SC lists " + std::to_string(2 * available) +
                              " (tools/demo starts pcscd with more when it starts it itself)");
    BALLOTBOX_ASSIGN_OR_RETURN(auto st, commands->status());
    if (text_of(st, "state") != "open")
        return make_error("demo.not_open",
                          "the polls are not open (state " + text_of(st, "state") + ")");
    const auto to_close = st.at("time_to_close_seconds").to_number<std::int64_t>();
    const auto speed =
        std::max<std::int64_t>(1, st.at("training_clock_speed").to_number<std::int64_t>());
    // The last voter is planned at least 20 minutes of the day, and 6 s of wall time, before
    // the close, so a run late by a few round trips still casts every card before 20:00
    // (tools/demo gives the day that much more time).
    const std::int64_t reserve = std::max<std::int64_t>(1200, 6 * speed);
    const std::int64_t usable = std::max<std::int64_t>(0, to_close - reserve);

    shared_state shared;
    shared.tty = options.progress_on_tty && ::isatty(2);
    std::vector<std::unique_ptr<lane>> all;
    for (int k = 0; k < lanes; ++k) {
        BALLOTBOX_ASSIGN_OR_RETURN(
            auto link, table_link::connect(options.socket, commands, table_slot(k).name));
        BALLOTBOX_ASSIGN_OR_RETURN(auto view, reader_view::open());
        all.push_back(std::make_unique<lane>(k, lanes, options, booth_key, std::move(link),
                                             std::move(view), shared));
    }
    std::fprintf(stderr, "  %d lane%s: %s\n", lanes, lanes == 1 ? "" : "s",
                 lanes == 1 ? "one table reader and one booth"
                            : "each a table member's reader and a booth, in parallel");
    progress bar(options, shared);
    const auto start = clock_type::now();
    std::vector<std::thread> threads;
    for (auto& l : all)
        threads.emplace_back([&l, start, usable, speed] { l->run(start, usable, speed); });
    auto show = [&](bool force) {
        auto now = commands->status();
        bar.show(now.ok() ? *now : boost::json::object{}, force);
    };
    for (;;) {
        {
            std::lock_guard lock(shared.mutex);
            if (shared.stop || shared.counts.voters >= options.voters)
                break;
        }
        show(false);
        std::this_thread::sleep_for(250ms);
    }
    for (auto& t : threads)
        t.join();
    const double wall = std::chrono::duration<double>(clock_type::now() - start).count();
    if (shared.failure)
        return *shared.failure;
    shared.counts.lanes = lanes;
    shared.counts.voting_seconds = wall;
    shared.counts.seconds_per_voter =
        options.voters ? shared.busy_seconds / static_cast<double>(options.voters) : 0;
    // Wait for 20:00 on the daemon's clock, so that the chair may close.
    for (;;) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto now, commands->status());
        if (text_of(now, "state") != "open")
            break;
        bar.show(now, false);
        std::this_thread::sleep_for(100ms);
    }
    show(true);
    if (shared.tty)
        std::fprintf(stderr, "\n");
    return shared.counts;
}

}  // namespace ballotbox::demo
