import com.clickhouse.data.ClickHouseCityHash;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.HexFormat;

/**
 * Prints CityHash128 (version 1.0.2, as ClickHouse and its JDBC driver use it) of each hex line
 * read from standard input, as "low high" in unsigned hex.
 */
public class CityHashCheck {
  public static void main(String[] args) throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      byte[] bytes = HexFormat.of().parseHex(line.trim());
      long[] h = ClickHouseCityHash.cityHash128(bytes, 0, bytes.length);
      System.out.println(Long.toUnsignedString(h[0], 16) + " " + Long.toUnsignedString(h[1], 16));
    }
  }
}
