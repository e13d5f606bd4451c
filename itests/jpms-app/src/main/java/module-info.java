/** A plain-Java xenstore user: only the facade is required; transports and the core come as providers. */
module org.jxenbus.itests.jpms {
    requires org.jxenbus.xenstore.client;
}
