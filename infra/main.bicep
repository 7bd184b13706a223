// Golden Thread: everything the bot needs in one resource group.
//
//   az deployment group create -g <group> -f infra/main.bicep \
//     -p infra/main.parameters.json -p tenantId=<your Microsoft 365 tenant id>
//
// - A user-assigned managed identity is the bot's identity (Azure Bot,
//   msaAppType UserAssignedMSI) and the web app's identity for Cosmos DB.
//   There are no secrets, keys or passwords anywhere in this template.
// - Linux App Service (Node 22 LTS) runs the bot; /api/messages is the Bot
//   Framework endpoint and /healthz the health check.
// - Azure Cosmos DB for NoSQL with local (key) auth disabled: the identity gets
//   the built-in data-plane "Data Contributor" role. The database and the
//   containers are created here because data-plane RBAC cannot create them.
// - Application Insights (workspace-based) for logs and telemetry.
//
// The container list below must match src/storage/containers.ts
// (test/infra/bicep-containers.test.ts checks it).

targetScope = 'resourceGroup'

@description('Prefix for resource names (lower case letters, digits and hyphens).')
@minLength(3)
@maxLength(16)
param namePrefix string = 'goldenthread'

@description('Azure region for the web app, Cosmos DB and monitoring.')
param location string = 'uksouth'

@description('Microsoft Entra tenant id of the Microsoft 365 tenant that uses the bot. The bot identity lives in this tenant and only this tenant is allowed (ALLOWED_TENANTS).')
param tenantId string = subscription().tenantId

@description('Name of the Cosmos DB SQL database.')
param cosmosDatabaseName string = 'goldenthread'

@description('Maximum autoscale throughput (RU/s) shared by all containers. 1000 is the smallest autoscale setting (it scales down to 100 RU/s).')
@minValue(1000)
param cosmosMaxThroughput int = 1000

@description('App Service plan SKU. Basic (B1) or higher is needed for Always On.')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'P0v3'
  'P1v3'
  'P2v3'
])
param appServiceSku string = 'B1'

@description('Azure Bot SKU. The Teams channel is a standard channel, free on F0.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Time zone for due dates and digests (PROGRAMME_TIMEZONE).')
param programmeTimezone string = 'Europe/London'

@description('Command App Service runs to start the bot (compiled output of npm run build).')
param startCommand string = 'node build/dist/src/index.js'

@description('Tags applied to every resource.')
param tags object = {
  application: 'golden-thread'
}

var suffix = uniqueString(resourceGroup().id)
var identityName = '${namePrefix}-id'
var planName = '${namePrefix}-plan'
var webAppName = '${namePrefix}-${suffix}'
var botName = '${namePrefix}-bot-${suffix}'
var cosmosAccountName = toLower('${namePrefix}-cosmos-${suffix}')
var workspaceName = '${namePrefix}-logs'
var appInsightsName = '${namePrefix}-insights'

// Built-in Cosmos DB data-plane role "Cosmos DB Built-in Data Contributor".
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'

// One entry per container in src/storage/containers.ts; every container is
// partitioned by /pk, "<tenantId>|<programmeId>" for a programme's documents
// (see the comment in that file). The ids end in -v2 because Cosmos DB cannot
// change a container's partition key: the version-1 containers (partitioned
// by /tenantId) of an earlier deployment are left in place by an incremental
// deployment, read once by the bot's start-up migration, and can then be deleted.
var containers = [
  { id: 'workstreams-v2', partitionKey: '/pk' }
  { id: 'people-v2', partitionKey: '/pk' }
  { id: 'meetings-v2', partitionKey: '/pk' }
  { id: 'contributions-v2', partitionKey: '/pk' }
  { id: 'jobs-v2', partitionKey: '/pk' }
  { id: 'audit-v2', partitionKey: '/pk' }
  { id: 'conversations-v2', partitionKey: '/pk' }
  { id: 'counters-v2', partitionKey: '/pk' }
  { id: 'shown-v2', partitionKey: '/pk' }
  { id: 'claims-v2', partitionKey: '/pk' }
  { id: 'proposals-v2', partitionKey: '/pk' }
]

// ---------------------------------------------------------------- identity

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

// -------------------------------------------------------------- monitoring

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    IngestionMode: 'LogAnalytics'
  }
}

// --------------------------------------------------------------- Cosmos DB

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {
  name: cosmosAccountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    // Point-in-time restore to any second in the last 7 days.
    backupPolicy: {
      type: 'Continuous'
      continuousModeProperties: {
        tier: 'Continuous7Days'
      }
    }
    // Keys are switched off: only Microsoft Entra identities with a data-plane
    // role can read or write.
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-05-15' = {
  parent: cosmos
  name: cosmosDatabaseName
  properties: {
    resource: {
      id: cosmosDatabaseName
    }
    options: {
      autoscaleSettings: {
        maxThroughput: cosmosMaxThroughput
      }
    }
  }
}

resource cosmosContainers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-05-15' = [
  for container in containers: {
    parent: database
    name: container.id
    properties: {
      resource: {
        id: container.id
        partitionKey: {
          paths: [
            container.partitionKey
          ]
          kind: 'Hash'
          version: 2
        }
      }
    }
  }
]

resource cosmosDataRole 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-05-15' = {
  parent: cosmos
  name: guid(cosmos.id, identity.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: identity.properties.principalId
    scope: cosmos.id
  }
}

// ------------------------------------------------------------- App Service

resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServiceSku
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: webAppName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: startCommand
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        { name: 'NODE_ENV', value: 'production' }
        // Bot Framework authentication with the user-assigned identity (no password).
        { name: 'MicrosoftAppType', value: 'UserAssignedMSI' }
        { name: 'MicrosoftAppId', value: identity.properties.clientId }
        { name: 'MicrosoftAppTenantId', value: tenantId }
        // @azure/identity (DefaultAzureCredential / ManagedIdentityCredential)
        // picks the user-assigned identity by this client id.
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'COSMOS_ENDPOINT', value: cosmos.properties.documentEndpoint }
        { name: 'COSMOS_DATABASE', value: cosmosDatabaseName }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        { name: 'PROGRAMME_TIMEZONE', value: programmeTimezone }
        { name: 'ALLOWED_TENANTS', value: tenantId }
      ]
    }
  }
  dependsOn: [
    cosmosDataRole
    cosmosContainers
  ]
}

// --------------------------------------------------------------- Azure Bot

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botName
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: 'Golden Thread'
    description: 'Golden Thread: you said, we did'
    // https://<web app>.azurewebsites.net/api/messages
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppType: 'UserAssignedMSI'
    msaAppId: identity.properties.clientId
    msaAppMSIResourceId: identity.id
    msaAppTenantId: tenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

// ----------------------------------------------------------------- outputs

@description('Host name of the web app: BOT_DOMAIN for npm run package.')
output webAppHostName string = webApp.properties.defaultHostName

@description('Name of the web app, for az webapp deploy.')
output webAppName string = webApp.name

@description('The bot id (client id of the user-assigned identity): MicrosoftAppId for npm run package.')
output botId string = identity.properties.clientId

@description('Cosmos DB endpoint (COSMOS_ENDPOINT).')
output cosmosEndpoint string = cosmos.properties.documentEndpoint

@description('Name of the Cosmos DB account, for az cosmosdb sql role assignment create.')
output cosmosAccountName string = cosmos.name

@description('Resource id of the user-assigned managed identity.')
output identityResourceId string = identity.id
