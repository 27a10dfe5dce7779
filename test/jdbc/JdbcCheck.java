import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Properties;

/**
 * Connects the ClickHouse JDBC driver to a ClickHouse HTTP endpoint and prints what a BI tool's
 * first minute asks: the server's product and version, the tables of a database, and the rows of
 * a parameterised SELECT. Usage: java -cp <driver> JdbcCheck.java <jdbc url> <user> <password> <database>
 */
public class JdbcCheck {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", args[1]);
    props.setProperty("password", args[2]);
    try (Connection conn = DriverManager.getConnection(args[0], props)) {
      DatabaseMetaData meta = conn.getMetaData();
      System.out.println("product\t" + meta.getDatabaseProductName() + "\t" + meta.getDatabaseProductVersion());
      try (ResultSet tables = meta.getTables(null, args[3], "%", null)) {
        while (tables.next()) System.out.println("table\t" + tables.getString("TABLE_NAME"));
      }
      try (PreparedStatement ps = conn.prepareStatement("SELECT k, v FROM kv WHERE v >= ? AND k LIKE ? ORDER BY v LIMIT 3")) {
        ps.setLong(1, 4990L);
        ps.setString(2, "k%");
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) System.out.println("row\t" + rs.getString(1) + "\t" + rs.getLong(2));
        }
      }
    }
  }
}
