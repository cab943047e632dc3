// Creates or updates SCRAM-SHA-512 users of a running broker through the Kafka Admin API (the broker's
// jars have no kafka-configs tool). Run by kafka.sh as a single-file program:
//   java -cp '<lib>/*' ScramUsers.java <bootstrap> <admin-client.properties>   (stdin: "name password" lines)
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

public class ScramUsers {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    try (FileInputStream in = new FileInputStream(args[1])) {
      props.load(in);
    }
    props.put("bootstrap.servers", args[0]);
    List<UserScramCredentialAlteration> changes = new ArrayList<>();
    BufferedReader stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = stdin.readLine()) != null; ) {
      String[] parts = line.trim().split(" ", 2);
      if (parts.length != 2) continue;
      changes.add(new UserScramCredentialUpsertion(
          parts[0], new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), parts[1]));
    }
    try (Admin admin = Admin.create(props)) {
      admin.alterUserScramCredentials(changes).all().get();
    }
    System.out.println(changes.size() + " SCRAM user(s) set");
  }
}
