<?xml version="1.0" encoding="UTF-8"?>
<!--
  Turns the jxenbus features repository (features/src/main/feature/feature.xml, as Maven filtered it) into
  what Felix reads: every bundle of every feature, once, grouped by its start level, as
  felix.auto.start.LEVEL lines of conf/config.properties. A bundle mvn:G/A/V is the file bundle/A-V.jar,
  where karaf-maven-plugin (features-add-to-repository, flat layout) has put it.

  With output=check it writes instead an Ant project whose default target fails unless every one of those
  files exists: a bundle the features name but Maven did not deliver fails the build, not the runtime.
-->
<xsl:stylesheet version="1.0"
                xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:f="http://karaf.apache.org/xmlns/features/v1.6.0">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:param name="output" select="'properties'"/>

  <xsl:key name="by-location" match="f:feature/f:bundle" use="normalize-space(.)"/>
  <xsl:key name="by-level" match="f:feature/f:bundle" use="@start-level"/>

  <xsl:template match="/">
    <xsl:if test="not(f:features)">
      <xsl:message terminate="yes">not a Karaf 1.6.0 features repository</xsl:message>
    </xsl:if>
    <xsl:for-each select="//f:feature/f:bundle[not(@start-level)] | //f:conditional">
      <xsl:message terminate="yes">every bundle needs a start-level, and conditionals are not supported: <xsl:value-of select="normalize-space(.)"/></xsl:message>
    </xsl:for-each>
    <xsl:for-each select="//f:feature/f:bundle[key('by-location', normalize-space(.))/@start-level != @start-level]">
      <xsl:message terminate="yes">one bundle, two start levels: <xsl:value-of select="normalize-space(.)"/></xsl:message>
    </xsl:for-each>
    <!-- The first occurrence of each location stands for it (a local variable: the JDK's XSLTC leaves a
         global one that uses a key empty). -->
    <xsl:variable name="unique"
                  select="//f:feature/f:bundle[generate-id() = generate-id(key('by-location', normalize-space(.))[1])]"/>
    <xsl:choose>
      <xsl:when test="$output = 'check'">
        <xsl:call-template name="check">
          <xsl:with-param name="unique" select="$unique"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="properties">
          <xsl:with-param name="unique" select="$unique"/>
        </xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="properties">
    <xsl:param name="unique"/>
    <xsl:text># Generated from the jxenbus features repository (conf/jxenbus-features.xml): every bundle of every&#10;</xsl:text>
    <xsl:text># feature, by start level. Do not edit; edit features/src/main/feature/feature.xml.&#10;</xsl:text>
    <xsl:for-each select="$unique[generate-id() = generate-id(key('by-level', @start-level)[1])]">
      <xsl:sort select="@start-level" data-type="number"/>
      <xsl:variable name="level" select="@start-level"/>
      <xsl:text>felix.auto.start.</xsl:text>
      <xsl:value-of select="$level"/>
      <xsl:text>=</xsl:text>
      <xsl:for-each select="$unique[@start-level = $level]">
        <xsl:text> \&#10;    file:${jxenbus.home}/bundle/</xsl:text>
        <xsl:call-template name="file-name"/>
      </xsl:for-each>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="check">
    <xsl:param name="unique"/>
    <xsl:text>&lt;project name="bundles-present" default="check"&gt;&lt;target name="check"&gt;&#10;</xsl:text>
    <xsl:for-each select="$unique">
      <xsl:variable name="file">
        <xsl:call-template name="file-name"/>
      </xsl:variable>
      <xsl:text>  &lt;fail message="the features name </xsl:text>
      <xsl:value-of select="normalize-space(.)"/>
      <xsl:text> but bundle/</xsl:text>
      <xsl:value-of select="$file"/>
      <xsl:text> is missing"&gt;&lt;condition&gt;&lt;not&gt;&lt;available file="${bundle.dir}/</xsl:text>
      <xsl:value-of select="$file"/>
      <xsl:text>"/&gt;&lt;/not&gt;&lt;/condition&gt;&lt;/fail&gt;&#10;</xsl:text>
    </xsl:for-each>
    <xsl:text>&lt;/target&gt;&lt;/project&gt;&#10;</xsl:text>
  </xsl:template>

  <!-- mvn:G/A/V to A-V.jar; any other form of location stops the build. -->
  <xsl:template name="file-name">
    <xsl:variable name="location" select="normalize-space(.)"/>
    <xsl:variable name="gav" select="substring-after($location, 'mvn:')"/>
    <xsl:variable name="av" select="substring-after($gav, '/')"/>
    <xsl:variable name="artifact" select="substring-before($av, '/')"/>
    <xsl:variable name="version" select="substring-after($av, '/')"/>
    <xsl:if test="not(starts-with($location, 'mvn:')) or $artifact = '' or $version = '' or contains($version, '/')">
      <xsl:message terminate="yes">only mvn:groupId/artifactId/version locations are supported: <xsl:value-of select="$location"/></xsl:message>
    </xsl:if>
    <xsl:value-of select="concat($artifact, '-', $version, '.jar')"/>
  </xsl:template>
</xsl:stylesheet>
