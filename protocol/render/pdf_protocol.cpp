#include "protocol/render/pdf_protocol.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <memory>

#include "common/atomic_file.h"
#include "crypto/sha256.h"
#include "election/local_time.h"
#include "protocol/qr_payload.h"
#include "protocol/reconciliation.h"
#include "protocol/render/labels.h"
#include "protocol/render/qr_matrix.h"

namespace ballotbox::protocol::render {
namespace {

constexpr double page_w = 595.276;  // A4 in points
constexpr double page_h = 841.890;
constexpr double margin = 40;
constexpr double qr_size = 120;
constexpr double footer_h = qr_size + 46;
constexpr double number_right = page_w - margin;

const char* const font_family = "DejaVu Sans, Noto Sans";

struct cairo_deleter {
    void operator()(cairo_t* c) const { cairo_destroy(c); }
    void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

std::string number(std::int64_t n) {
    return std::to_string(n);
}

std::string percent(std::int64_t basis_points) {
    auto frac = basis_points % 100;
    return std::to_string(basis_points / 100) + "," + (frac < 10 ? "0" : "") +
           std::to_string(frac) + " %";
}

std::string two(const label& l) {
    return std::string(l.kk) + " / " + std::string(l.ru);
}

std::string two(const election::multilingual_name& n) {
    return n.kk == n.ru ? n.kk : n.kk + " / " + n.ru;
}

class page_writer {
  public:
    page_writer(cairo_t* cr, const signed_protocol& sp, const election::election_package& pk,
                std::vector<qr_matrix> codes)
        : cr_(cr), sp_(sp), pk_(pk), codes_(std::move(codes)) {
        begin_page();
    }

    // A line of text (wrapped at the text width minus room for the number, if any), with an
    // optional right-aligned number.
    void line(const std::string& text, double size = 9, bool bold = false,
              const std::string& value = "", double r = 0, double g = 0, double b = 0) {
        double width = page_w - 2 * margin - (value.empty() ? 0 : 90);
        auto layout = make_layout(text, size, bold, width);
        int w = 0, h = 0;
        pango_layout_get_size(layout.get(), &w, &h);
        double height = static_cast<double>(h) / PANGO_SCALE + 2;
        if (y_ + height > page_h - margin - footer_h)
            next_page();
        cairo_set_source_rgb(cr_, r, g, b);
        cairo_move_to(cr_, margin, y_);
        pango_cairo_show_layout(cr_, layout.get());
        if (!value.empty()) {
            auto v = make_layout(value, size, true, -1);
            int vw = 0, vh = 0;
            pango_layout_get_size(v.get(), &vw, &vh);
            cairo_move_to(cr_, number_right - static_cast<double>(vw) / PANGO_SCALE, y_);
            pango_cairo_show_layout(cr_, v.get());
        }
        y_ += height;
    }
    void gap(double h = 6) { y_ += h; }
    void rule() {
        cairo_set_source_rgb(cr_, 0.6, 0.6, 0.6);
        cairo_set_line_width(cr_, 0.5);
        cairo_move_to(cr_, margin, y_ + 2);
        cairo_line_to(cr_, page_w - margin, y_ + 2);
        cairo_stroke(cr_);
        y_ += 6;
    }
    void finish() { end_page(); }
    bool failed() const { return cairo_status(cr_) != CAIRO_STATUS_SUCCESS; }

  private:
    using layout_ptr = std::unique_ptr<PangoLayout, decltype(&g_object_unref)>;

    layout_ptr make_layout(const std::string& text, double size, bool bold, double width) {
        layout_ptr layout(pango_cairo_create_layout(cr_), &g_object_unref);
        std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)> font(
            pango_font_description_from_string(font_family), &pango_font_description_free);
        pango_font_description_set_absolute_size(font.get(), size * PANGO_SCALE);
        pango_font_description_set_weight(font.get(),
                                          bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
        pango_layout_set_font_description(layout.get(), font.get());
        if (width > 0) {
            pango_layout_set_width(layout.get(), static_cast<int>(width * PANGO_SCALE));
            pango_layout_set_wrap(layout.get(), PANGO_WRAP_WORD_CHAR);
        }
        pango_layout_set_text(layout.get(), text.c_str(), static_cast<int>(text.size()));
        return layout;
    }

    void begin_page() {
        ++page_;
        y_ = margin;
        if (sp_.document.training) {
            line(std::string(labels::training.kk) + " · " + std::string(labels::training.ru) +
                     " · " + std::string(labels::training.en),
                 14, true, "", 0.8, 0, 0);
            gap(2);
        }
    }
    void next_page() {
        end_page();
        begin_page();
    }
    void end_page() {
        // The footer: QR codes with their part numbers, the digest, the page number.
        double top = page_h - margin - footer_h + 8;
        double x = margin;
        for (std::size_t i = 0; i < codes_.size(); ++i) {
            const auto& q = codes_[i];
            double quiet = 4;
            double module = qr_size / (q.width + 2 * quiet);
            cairo_set_source_rgb(cr_, 1, 1, 1);
            cairo_rectangle(cr_, x, top, qr_size, qr_size);
            cairo_fill(cr_);
            cairo_set_source_rgb(cr_, 0, 0, 0);
            for (int row = 0; row < q.width; ++row)
                for (int col = 0; col < q.width; ++col)
                    if (q.at(col, row))
                        cairo_rectangle(cr_, x + (col + quiet) * module,
                                        top + (row + quiet) * module, module, module);
            cairo_fill(cr_);
            auto part = make_layout(
                "QR " + std::to_string(i + 1) + "/" + std::to_string(codes_.size()), 7, false, -1);
            cairo_move_to(cr_, x + 4, top + qr_size);
            pango_cairo_show_layout(cr_, part.get());
            x += qr_size + 8;
        }
        auto note = make_layout(two(labels::qr_note) + "\n" + two(labels::digest) + ": " +
                                    short_digest(sp_.json) + "\n" + two(labels::page) + " " +
                                    std::to_string(page_),
                                8, false, page_w - margin - x);
        cairo_set_source_rgb(cr_, 0, 0, 0);
        cairo_move_to(cr_, x + 4, top + 4);
        pango_cairo_show_layout(cr_, note.get());
        auto digest_big = make_layout(short_digest(sp_.json), 12, true, -1);
        cairo_move_to(cr_, margin, top + qr_size + 14);
        pango_cairo_show_layout(cr_, digest_big.get());
        cairo_show_page(cr_);
    }

    cairo_t* cr_;
    const signed_protocol& sp_;
    const election::election_package& pk_;
    std::vector<qr_matrix> codes_;
    double y_ = margin;
    int page_ = 0;
};

void write_body(page_writer& p, const signed_protocol& sp, const election::election_package& pk,
                time_point printed_at) {
    const auto& d = sp.document;
    auto title = report_title(d.kind);
    p.line(std::string(title.kk), 11, true);
    p.line(std::string(title.ru), 11, true);
    p.line(std::string(title.en), 8);
    p.gap();
    p.line(pk.election_name.kk, 10, true);
    p.line(pk.election_name.ru, 10);
    p.gap(4);
    p.line(two(labels::station) + ": " + two(pk.station_name) + " (" + d.station_id + ")", 9, false,
           "№ " + number(d.station_number));
    p.line(two(labels::district) + ": " + two(pk.district_name), 9, false,
           "№ " + number(d.district_number));
    p.line(two(labels::region) + ": " + two(pk.region), 9);
    p.line(two(labels::event_time) + ": " + d.event_time, 9);
    p.line(two(labels::printed_at) + ": " + election::format_local(pk.time_zone, printed_at), 9);
    p.rule();
    p.line(two(labels::voters_on_list), 9, false, number(d.voters_on_list));
    p.line(two(labels::voters_added), 9, false, number(d.voters_added));
    if (d.kind == report_kind::result)
        p.line(two(labels::portable_box) + ": " +
                   two(d.portable_box.imported   ? labels::portable_imported
                       : d.portable_box.not_used ? labels::portable_not_used
                                                 : labels::portable_pending),
               9);
    for (std::size_t i = 0; i < d.ballots.size() && i < pk.ballots.size(); ++i) {
        const auto& b = d.ballots[i];
        const auto& eb = pk.ballots[i];
        p.gap();
        p.line(two(eb.name), 10, true);
        p.line(two(labels::issued_station), 9, false, number(b.issued_station));
        p.line(two(labels::issued_portable), 9, false, number(b.issued_portable));
        p.line(two(labels::cancelled), 9, false, number(b.cancelled));
        p.line(two(labels::not_returned), 9, false, number(b.not_returned));
        p.line(two(labels::cast_station), 9, false, number(b.cast_station));
        p.line(two(labels::cast_portable), 9, false, number(b.cast_portable));
        p.line(two(labels::took_part), 9, false, number(b.took_part));
        p.line(two(labels::turnout), 9, false, percent(b.turnout_basis_points));
        if (d.kind == report_kind::turnout)
            continue;
        p.line(two(labels::votes_header), 9, true);
        for (std::size_t o = 0; o < b.options.size() && o < eb.options.size(); ++o) {
            auto name = std::to_string(o + 1) + ". " + two(eb.options[o].name);
            if (!eb.options[o].nominated_by.ru.empty())
                name += " (" + eb.options[o].nominated_by.ru + ")";
            p.line(name, 9, false, number(b.options[o].votes));
        }
        if (eb.against_all)
            p.line(two(labels::against_all), 9, false, number(b.against_all));
        p.line(two(labels::blank), 9, false, number(b.blank));
    }
    p.gap();
    p.line(two(labels::checks), 10, true);
    auto failures = explain_failures(d);
    for (const auto& c : d.checks) {
        auto l = c.holds ? labels::check_holds : labels::check_fails;
        const auto name = check_label(c.id);
        p.line((name ? two(*name) : c.id) + ": " + two(l), 9, !c.holds, "", c.holds ? 0 : 0.8, 0,
               0);
    }
    for (const auto& f : failures)
        p.line(f.ballot_id + ": " + f.what, 9, true, "", 0.8, 0, 0);
    p.rule();
    p.line(two(labels::ledger), 10, true);
    p.line(two(labels::tree_size), 9, false, number(static_cast<std::int64_t>(d.ledger.tree_size)));
    p.line(two(labels::root) + ":", 9);
    p.line(hex_groups(d.ledger.root), 9);
    bytes kid{static_cast<std::uint8_t>(d.ledger.key_id >> 24),
              static_cast<std::uint8_t>(d.ledger.key_id >> 16),
              static_cast<std::uint8_t>(d.ledger.key_id >> 8),
              static_cast<std::uint8_t>(d.ledger.key_id)};
    p.line(two(labels::key_id) + ": " + hex_groups(kid), 9);
    p.line(two(labels::box_size), 9, false, number(static_cast<std::int64_t>(d.ledger.box_size)));
    p.line(two(labels::box_root) + ":", 9);
    p.line(hex_groups(d.ledger.box_root), 9);
    p.line(two(labels::fingerprint) + ":", 9);
    p.line(hex_groups(crypto::sha256(d.appliance_key)), 9);
    p.rule();
    p.gap(10);
    p.line(two(labels::chair) + ":  ______________________   ______________", 9);
    p.gap(8);
    p.line(two(labels::secretary) + ":  ______________________   ______________", 9);
    p.gap(8);
    p.line(two(labels::members) + ":", 9);
    for (int i = 0; i < 5; ++i) {
        p.gap(6);
        p.line("______________________   ______________", 9);
    }
    p.gap(6);
    p.line(two(labels::seal), 8);
}

}  // namespace

std::string hex_groups(byte_view data) {
    auto hex = to_hex(data);
    std::string out;
    for (std::size_t i = 0; i < hex.size(); i += 4) {
        if (i)
            out += ' ';
        out += hex.substr(i, 4);
    }
    return out;
}

result<std::string> render_protocol_pdf(const signed_protocol& sp,
                                        const election::election_package& pk,
                                        time_point printed_at) {
    std::vector<qr_matrix> codes;
    for (const auto& t : sp.qr_texts) {
        BALLOTBOX_ASSIGN_OR_RETURN(auto m, encode_qr(t));
        codes.push_back(std::move(m));
    }
    std::string pdf;
    std::unique_ptr<cairo_surface_t, cairo_deleter> surface(
        cairo_pdf_surface_create_for_stream(append_to_string, &pdf, page_w, page_h));
    std::unique_ptr<cairo_t, cairo_deleter> cr(cairo_create(surface.get()));
    bool failed = false;
    {
        page_writer p(cr.get(), sp, pk, std::move(codes));
        write_body(p, sp, pk, printed_at);
        p.finish();
        failed = p.failed();
    }
    cr.reset();
    cairo_surface_finish(surface.get());
    if (failed || cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS)
        return make_error("protocol.render_failed",
                          std::string("The PDF could not be made: ") +
                              cairo_status_to_string(cairo_surface_status(surface.get())));
    return pdf;
}

status write_protocol_pdf(const std::filesystem::path& path, const signed_protocol& sp,
                          const election::election_package& pk, time_point printed_at) {
    BALLOTBOX_ASSIGN_OR_RETURN(auto pdf, render_protocol_pdf(sp, pk, printed_at));
    return write_file_atomically(path, pdf);
}

}  // namespace ballotbox::protocol::render
