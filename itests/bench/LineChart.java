import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A line chart as PNG, for docs/benchmarks.md: {@code java LineChart.java OUT.png TITLE XLABEL YLABEL [log] < data.tsv}.
 * The data's first line is {@code x<TAB>series...}, then one row per x value (numbers; an empty cell is a gap).
 * x is on a log2 scale (threads and value sizes grow geometrically) with a tick at each x; y is linear from 0,
 * or with {@code log} logarithmic between powers of ten (latency percentiles span decades).
 */
public class LineChart {

    static final int W = 800, H = 480, LEFT = 90, RIGHT = 200, TOP = 50, BOTTOM = 60;
    static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b)};

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String[] names = in.readLine().split("\t", -1);
        List<double[]> rows = new ArrayList<>();
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            String[] cells = line.split("\t", -1);
            double[] row = new double[names.length];
            for (int i = 0; i < names.length; i++) {
                row[i] = i < cells.length && !cells[i].isEmpty() ? Double.parseDouble(cells[i]) : Double.NaN;
            }
            rows.add(row);
        }
        boolean logY = args.length > 4 && args[4].equals("log");
        double xMin = Double.MAX_VALUE, xMax = -Double.MAX_VALUE, yMax = 0, yMin = Double.MAX_VALUE;
        for (double[] r : rows) {
            xMin = Math.min(xMin, log2(r[0]));
            xMax = Math.max(xMax, log2(r[0]));
            for (int i = 1; i < r.length; i++) {
                if (!Double.isNaN(r[i])) {
                    yMax = Math.max(yMax, r[i]);
                    yMin = Math.min(yMin, r[i]);
                }
            }
        }
        double y0, y1; // the axis' ends, in the scale's units (log10 of the value when logY)
        if (logY) {
            y0 = Math.floor(Math.log10(Math.max(yMin, 1e-9)));
            y1 = Math.max(y0 + 1, Math.ceil(Math.log10(yMax)));
        } else {
            y0 = 0;
            y1 = niceCeiling(yMax * 1.05);
        }
        double x0 = xMin, xSpan = Math.max(xMax - xMin, 1e-9), ySpan = y1 - y0;
        java.util.function.DoubleUnaryOperator scale = v -> logY ? Math.log10(v) - y0 : v - y0;

        BufferedImage image = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.setColor(Color.BLACK);
        g.drawString(args[1], LEFT, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int ticks = logY ? (int) ySpan : 5;
        for (int t = 0; t <= ticks; t++) { // y grid
            double v = logY ? Math.pow(10, y0 + t) : y1 * t / 5;
            int y = TOP + ph - (int) Math.round(ph * scale.applyAsDouble(v) / ySpan);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(LEFT, y, LEFT + pw, y);
            g.setColor(Color.DARK_GRAY);
            String label = v >= 1000 ? String.format("%.0fk", v / 1000) : String.format("%.0f", v);
            g.drawString(label, LEFT - 8 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        for (double[] r : rows) { // x ticks
            int x = LEFT + (int) Math.round(pw * (log2(r[0]) - x0) / xSpan);
            g.setColor(new Color(0xe0e0e0));
            g.drawLine(x, TOP, x, TOP + ph);
            g.setColor(Color.DARK_GRAY);
            String label = String.format("%.0f", r[0]);
            g.drawString(label, x - g.getFontMetrics().stringWidth(label) / 2, TOP + ph + 18);
        }
        g.setColor(Color.BLACK);
        g.drawRect(LEFT, TOP, pw, ph);
        g.drawString(args[2], LEFT + pw / 2 - g.getFontMetrics().stringWidth(args[2]) / 2, H - 15);
        Graphics2D gy = (Graphics2D) g.create();
        gy.rotate(-Math.PI / 2);
        gy.drawString(args[3], -(TOP + ph / 2 + gy.getFontMetrics().stringWidth(args[3]) / 2), 20);
        gy.dispose();
        for (int s = 1; s < names.length; s++) {
            Color c = COLORS[(s - 1) % COLORS.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            int px = -1, py = -1;
            for (double[] r : rows) {
                if (Double.isNaN(r[s])) {
                    px = -1;
                    continue;
                }
                int x = LEFT + (int) Math.round(pw * (log2(r[0]) - x0) / xSpan);
                int y = TOP + ph - (int) Math.round(ph * scale.applyAsDouble(r[s]) / ySpan);
                g.fillOval(x - 3, y - 3, 7, 7);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            int ly = TOP + 10 + (s - 1) * 20;
            g.drawLine(LEFT + pw + 12, ly, LEFT + pw + 32, ly);
            g.setColor(Color.BLACK);
            g.drawString(names[s], LEFT + pw + 38, ly + 4);
        }
        g.dispose();
        ImageIO.write(image, "png", new File(args[0]));
    }

    static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    /** 1, 2 or 5 times a power of ten, at least v. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }
}
