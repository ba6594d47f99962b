#include "tools/demo-driver/voter_day.h"

#include <unistd.h>

#include <boost/json/serialize.hpp>
#include <chrono>
#include <cstdio>
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

class day {
  public:
    day(const day_options& o, const crypto::ed25519_private_key& booth, table_link link,
        reader_view view)
        : options_(o),
          booth_(booth),
          link_(std::move(link)),
          view_(std::move(view)),
          random_(o.seed),
          tty_(o.progress_on_tty && ::isatty(2)) {}

    result<day_counts> run();

  private:
    // Presents the image at the table; the daemon's card report and the image afterwards.
    result<std::pair<boost::json::object, cardsim::card_image>> present(cardsim::card_image image,
                                                                        bool cancel_it = false);
    status expect(const boost::json::object& card, const char* outcome);
    status one_voter(std::uint64_t i);
    status forged();
    status replayed();
    void show(bool force);
    void say(const std::string& line);

    const day_options& options_;
    const crypto::ed25519_private_key& booth_;
    table_link link_;
    reader_view view_;
    crypto::seeded_random random_;
    bool tty_;
    day_counts counts_;
    std::string last_;
    std::optional<cardsim::card_image> last_voted_;
    std::optional<cardio::issued_card> last_issued_;
    std::uint64_t next_line_at_ = 0;
};

result<std::pair<boost::json::object, cardsim::card_image>> day::present(cardsim::card_image image,
                                                                         bool cancel_it) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto card,
                               card_in_reader::insert(view_, table_reader, std::move(image)));
    BALLOTBOX_ASSIGN_OR_RETURN(auto report, link_.next_card(30s));
    if (cancel_it && text_of(report, "outcome") == "not_voted_yet") {
        BALLOTBOX_TRY(link_.command({{"command", "cancel"}}));
        BALLOTBOX_ASSIGN_OR_RETURN(report, link_.next_card(30s));
    }
    return std::pair{std::move(report), card->remove()};
}

status day::expect(const boost::json::object& card, const char* outcome) {
    const auto got = text_of(card, "outcome");
    last_ =
        got +
        (card.contains("running_number") ? " #" + boost::json::serialize(card.at("running_number"))
                                         : std::string()) +
        (english(card, "headline").empty() ? "" : ": " + english(card, "headline"));
    if (got == "issued")
        ++counts_.issued;
    else if (got == "accepted")
        ++counts_.cast;
    else if (got == "cancelled")
        ++counts_.cancelled;
    else if (got == "refused")
        ++counts_.refused;
    else if (got == "already_recorded")
        ++counts_.already_recorded;
    if (got != outcome)
        return make_error("demo.unexpected_outcome",
                          std::string("expected ") + outcome +
                              ", the daemon said: " + boost::json::serialize(card));
    return ok_status();
}

status day::one_voter(std::uint64_t i) {
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
    std::vector<cardio::ballot_choice> choices;
    for (const auto& slot : card->issue.style)
        choices.push_back(draw(random_, weights_for(slot)));
    BALLOTBOX_ASSIGN_OR_RETURN(auto voted, vote_at_booth(view_, issued.second, booth_, choices));
    last_voted_ = voted;
    BALLOTBOX_ASSIGN_OR_RETURN(auto cast, present(voted));
    return expect(cast.first, "accepted");
}

status day::forged() {
    if (!last_issued_)
        return ok_status();
    cardio::issued_card fake = *last_issued_;
    random_.fill(fake.issue.token);
    random_.fill(fake.mac);  // made without the appliance's key
    std::vector<cardio::ballot_choice> choices;
    for (const auto& slot : fake.issue.style)
        choices.push_back(draw(random_, weights_for(slot)));
    BALLOTBOX_ASSIGN_OR_RETURN(auto voted,
                               vote_at_booth(view_, with_record(fake), booth_, choices));
    BALLOTBOX_ASSIGN_OR_RETURN(auto back, present(voted));
    BALLOTBOX_TRY(expect(back.first, "refused"));
    say("a forged card: " + last_ + " (" + text_of(back.first, "reason") + ") — " +
        english(back.first, "what_to_do"));
    return ok_status();
}

status day::replayed() {
    if (!last_voted_)
        return ok_status();
    BALLOTBOX_ASSIGN_OR_RETURN(auto back, present(*last_voted_));
    BALLOTBOX_TRY(expect(back.first, "already_recorded"));
    say("a copy of a card already cast: " + last_ + " — " + english(back.first, "what_to_do"));
    return ok_status();
}

void day::say(const std::string& line) {
    std::fprintf(stderr, "%s  %s\n", tty_ ? "\r\033[K" : "", line.c_str());
    show(true);
}

void day::show(bool force) {
    link_.drain();
    const auto& st = link_.last_status();
    std::string now = text_of(st, "now_local");
    const std::string hhmm = now.size() >= 16 ? now.substr(11, 5) : "--:--";
    const std::uint64_t done = counts_.voters, n = options_.voters;
    const int width = 30;
    const int filled = n ? static_cast<int>(done * width / n) : width;
    std::string bar = std::string(filled, '#') + std::string(width - filled, '.');
    char line[512];
    std::snprintf(
        line, sizeof line,
        "[%s] %s  voters %llu/%llu  issued %llu cast %llu cancelled %llu refused %llu"
        "  | last: %.60s",
        bar.c_str(), hhmm.c_str(), static_cast<unsigned long long>(done),
        static_cast<unsigned long long>(n), static_cast<unsigned long long>(counts_.issued),
        static_cast<unsigned long long>(counts_.cast),
        static_cast<unsigned long long>(counts_.cancelled),
        static_cast<unsigned long long>(counts_.refused + counts_.already_recorded), last_.c_str());
    if (tty_)
        std::fprintf(stderr, "\r\033[K%s", line);
    else if (force || done >= next_line_at_) {
        std::fprintf(stderr, "%s\n", line);
        next_line_at_ = done + std::max<std::uint64_t>(1, n / 10);
    }
}

result<day_counts> day::run() {
    BALLOTBOX_ASSIGN_OR_RETURN(auto st, link_.status());
    if (text_of(st, "state") != "open")
        return make_error("demo.not_open",
                          "the polls are not open (state " + text_of(st, "state") + ")");
    const auto to_close = st.at("time_to_close_seconds").to_number<std::int64_t>();
    const auto speed =
        std::max<std::int64_t>(1, st.at("training_clock_speed").to_number<std::int64_t>());
    const std::int64_t usable = std::max<std::int64_t>(0, to_close - 1200);
    const auto start = clock_type::now();
    const std::uint64_t n = options_.voters;
    double voting_seconds = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        const auto due =
            start + std::chrono::microseconds(static_cast<std::int64_t>(i) * usable * 1000000 /
                                              static_cast<std::int64_t>(n) / speed);
        while (clock_type::now() < due) {
            std::this_thread::sleep_until(std::min(due, clock_type::now() + 250ms));
            show(false);
        }
        const auto t0 = clock_type::now();
        BALLOTBOX_TRY(one_voter(i));
        voting_seconds += std::chrono::duration<double>(clock_type::now() - t0).count();
        ++counts_.voters;
        if (i == n / 3)
            BALLOTBOX_TRY(forged());
        if (i == (2 * n) / 3)
            BALLOTBOX_TRY(replayed());
        show(false);
    }
    counts_.seconds_per_voter = n ? voting_seconds / static_cast<double>(n) : 0;
    // Wait for 20:00 on the daemon's clock, so that the chair may close.
    for (;;) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto now, link_.status());
        const auto state = text_of(now, "state");
        if (state != "open")
            break;
        std::this_thread::sleep_for(100ms);
        show(false);
    }
    show(true);
    if (tty_)
        std::fprintf(stderr, "\n");
    return counts_;
}

}  // namespace

result<day_counts> run_voter_day(const day_options& options,
                                 const crypto::ed25519_private_key& booth_key) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto link, table_link::connect(options.socket));
    BALLOTBOX_ASSIGN_OR_RETURN(auto view, reader_view::open());
    day d(options, booth_key, std::move(link), std::move(view));
    return d.run();
}

}  // namespace ballotbox::demo
