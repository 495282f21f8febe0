package org.wganspark.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Line2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Curves and 2-D point clouds as PNG-ready images (Java2D, headless): panels side by side, each with its axes,
 * ticks at round values, and a legend; for people who would rather look than read a CSV.
 */
public final class Plots {

    private static final int PANEL_W = 520;
    private static final int PANEL_H = 380;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 34;
    private static final int BOTTOM = 52;
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

    /** One curve: points (x[i], y[i]) joined in order; NaNs are skipped. */
    public record Series(String name, double[] x, double[] y) {
    }

    /** One set of axes. */
    public record Panel(String title, String xLabel, String yLabel, List<Series> series) {
    }

    /** One point cloud of a scatter panel: (xy[2i], xy[2i+1]). */
    public record Cloud(String name, float[] xy, Color color) {
    }

    private Plots() {
    }

    public static Color color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    /** Line panels side by side. */
    public static BufferedImage lines(List<Panel> panels) {
        BufferedImage image = canvas(panels.size());
        Graphics2D g = graphics(image);
        for (int p = 0; p < panels.size(); p++) {
            Panel panel = panels.get(p);
            double[] range = range(panel.series());
            Frame frame = new Frame(p * PANEL_W, range[0], range[1], range[2], range[3]);
            frame.draw(g, panel.title(), panel.xLabel(), panel.yLabel());
            for (int s = 0; s < panel.series().size(); s++) {
                Series series = panel.series().get(s);
                g.setColor(color(s));
                g.setStroke(new BasicStroke(2f));
                double px = Double.NaN;
                double py = Double.NaN;
                for (int i = 0; i < series.x().length; i++) {
                    double x = frame.px(series.x()[i]);
                    double y = frame.py(series.y()[i]);
                    if (Double.isFinite(x) && Double.isFinite(y)) {
                        if (Double.isFinite(px)) {
                            g.draw(new Line2D.Double(px, py, x, y));
                        }
                        g.fillOval((int) x - 2, (int) y - 2, 5, 5);
                        px = x;
                        py = y;
                    }
                }
                legend(g, frame, s, series.name(), color(s));
            }
        }
        g.dispose();
        return image;
    }

    /** Point clouds, one panel each (all panels share the square [-lim, lim]^2). */
    public static BufferedImage scatter(List<String> titles, List<List<Cloud>> panels, double lim) {
        BufferedImage image = canvas(panels.size());
        Graphics2D g = graphics(image);
        for (int p = 0; p < panels.size(); p++) {
            Frame frame = new Frame(p * PANEL_W, -lim, lim, -lim, lim);
            frame.draw(g, titles.get(p), "x1", "x2");
            List<Cloud> clouds = panels.get(p);
            for (int c = 0; c < clouds.size(); c++) {
                Cloud cloud = clouds.get(c);
                g.setColor(cloud.color());
                for (int i = 0; i + 1 < cloud.xy().length; i += 2) {
                    g.fillOval((int) frame.px(cloud.xy()[i]) - 1, (int) frame.py(cloud.xy()[i + 1]) - 1, 3, 3);
                }
                legend(g, frame, c, cloud.name(), cloud.color());
            }
        }
        g.dispose();
        return image;
    }

    private static BufferedImage canvas(int panels) {
        BufferedImage image = new BufferedImage(Math.max(1, panels) * PANEL_W, PANEL_H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.dispose();
        return image;
    }

    private static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        return g;
    }

    private static void legend(Graphics2D g, Frame frame, int index, String name, Color color) {
        int x = frame.left + frame.width - 110;
        int y = TOP + 16 + 16 * index;
        g.setColor(color);
        g.fillRect(x, y - 8, 14, 8);
        g.setColor(Color.DARK_GRAY);
        g.drawString(name, x + 20, y);
    }

    /** min x, max x, min y, max y over all finite points, widened a little; y starts at 0 when the data allows. */
    private static double[] range(List<Series> series) {
        double[] r = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.x()[i]) && Double.isFinite(s.y()[i])) {
                    r[0] = Math.min(r[0], s.x()[i]);
                    r[1] = Math.max(r[1], s.x()[i]);
                    r[2] = Math.min(r[2], s.y()[i]);
                    r[3] = Math.max(r[3], s.y()[i]);
                }
            }
        }
        if (!(r[0] <= r[1])) {
            return new double[] {0, 1, 0, 1};
        }
        if (r[2] >= 0 && r[2] < 0.5 * r[3]) {
            r[2] = 0;
        }
        for (int k = 0; k < 4; k += 2) {
            double span = r[k + 1] - r[k];
            double pad = span > 0 ? 0.04 * span : Math.max(1e-9, Math.abs(r[k]) * 0.1 + 1e-9);
            r[k] = r[k] == 0 ? 0 : r[k] - pad;
            r[k + 1] += pad;
        }
        return r;
    }

    /** A panel's plotting area and its data-to-pixel maps. */
    private static final class Frame {
        final int left;
        final int width = PANEL_W - LEFT - RIGHT;
        final int height = PANEL_H - TOP - BOTTOM;
        final double x0;
        final double x1;
        final double y0;
        final double y1;

        Frame(int offset, double x0, double x1, double y0, double y1) {
            this.left = offset + LEFT;
            this.x0 = x0;
            this.x1 = x1;
            this.y0 = y0;
            this.y1 = y1;
        }

        double px(double x) {
            return left + (x - x0) / (x1 - x0) * width;
        }

        double py(double y) {
            return TOP + height - (y - y0) / (y1 - y0) * height;
        }

        void draw(Graphics2D g, String title, String xLabel, String yLabel) {
            g.setColor(new Color(0xf4f4f4));
            g.fillRect(left, TOP, width, height);
            FontMetrics fm = g.getFontMetrics();
            g.setStroke(new BasicStroke(1f));
            double[] xt = ticks(x0, x1);
            for (double t : xt) {
                int x = (int) Math.round(px(t));
                g.setColor(Color.WHITE);
                g.drawLine(x, TOP, x, TOP + height);
                g.setColor(Color.DARK_GRAY);
                String label = format(t, xt);
                g.drawString(label, x - fm.stringWidth(label) / 2, TOP + height + 16);
            }
            double[] yt = ticks(y0, y1);
            for (double t : yt) {
                int y = (int) Math.round(py(t));
                g.setColor(Color.WHITE);
                g.drawLine(left, y, left + width, y);
                g.setColor(Color.DARK_GRAY);
                String label = format(t, yt);
                g.drawString(label, left - 6 - fm.stringWidth(label), y + 4);
            }
            g.setColor(Color.GRAY);
            g.drawRect(left, TOP, width, height);
            g.setColor(Color.BLACK);
            g.setFont(g.getFont().deriveFont(Font.BOLD, 13f));
            g.drawString(title, left, TOP - 12);
            g.setFont(g.getFont().deriveFont(Font.PLAIN, 12f));
            g.drawString(xLabel, left + width / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, TOP + height + 36);
            Graphics2D rotated = (Graphics2D) g.create();
            rotated.rotate(-Math.PI / 2);
            rotated.drawString(yLabel, -(TOP + height / 2 + rotated.getFontMetrics().stringWidth(yLabel) / 2), left - 52);
            rotated.dispose();
        }
    }

    /** Round tick values (1, 2 or 5 times a power of ten) inside [a, b], about six of them. */
    static double[] ticks(double a, double b) {
        double raw = (b - a) / 6;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = raw / power < 1.5 ? power : raw / power < 3.5 ? 2 * power : raw / power < 7.5 ? 5 * power : 10 * power;
        double first = Math.ceil(a / step) * step;
        int count = (int) Math.floor((b - first) / step + 1e-9) + 1;
        double[] t = new double[Math.max(0, count)];
        for (int i = 0; i < t.length; i++) {
            t[i] = first + i * step;
        }
        return t;
    }

    /** A tick label with as many decimals as the ticks' spacing needs (23.6752, 23.6754, ... not 23.7 each time). */
    static String format(double v, double[] ticks) {
        if (ticks.length > 1) {
            double step = ticks[1] - ticks[0];
            int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
            if (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e5 && decimals <= 8) {
                return String.format(Locale.ROOT, "%." + decimals + "f", v);
            }
        }
        return format(v);
    }

    private static String format(double v) {
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e5 || a < 1e-3) {
            return String.format(Locale.ROOT, "%.0e", v);
        }
        return a >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.3g", v).replaceAll("\\.?0+$", "");
    }
}
